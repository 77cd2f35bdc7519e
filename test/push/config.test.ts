import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_PUSH_ENDPOINT_HOSTS, loadConfig } from "../../src/config";
import { base64UrlEncode } from "../../src/lib/encoding";

const valid = {
  ISSUER_URL: "https://id.example.com",
  KEY_ENCRYPTION_KEY: "k".repeat(32),
  PASSWORD_PEPPER: "p".repeat(32),
  ADMIN_API_TOKEN: "a".repeat(32),
  EMAIL_API_URL: "https://mail.example.com/send",
};

async function vapidPair() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  const raw = base64UrlEncode(new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer));
  return { jwk, raw };
}

describe("push configuration", () => {
  it("has no VAPID keys, the known push services and the issuer as contact by default", () => {
    const { push } = loadConfig({ ...valid });
    expect(push.vapid).toBeNull();
    expect(push.endpointHosts).toEqual(DEFAULT_PUSH_ENDPOINT_HOSTS);
    expect(push.subject).toBe("https://id.example.com");
    expect(push.allowLoopbackEndpoints).toBe(false);
    expect(loadConfig({ ...valid, ISSUER_URL: "http://localhost:8787", ENVIRONMENT: "development" }).push.allowLoopbackEndpoints).toBe(true);
    expect(loadConfig({ ...valid, ENVIRONMENT: "test" }).push.allowLoopbackEndpoints).toBe(false);
  });

  it("takes the private key as a JWK (public key derived) or as raw d next to the raw public key", async () => {
    const { jwk, raw } = await vapidPair();
    const fromJwk = loadConfig({ ...valid, VAPID_PRIVATE_KEY: JSON.stringify(jwk) }).push.vapid;
    expect(fromJwk?.publicKey).toBe(raw);
    expect(fromJwk?.privateJwk).toEqual({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, d: jwk.d });
    const fromRaw = loadConfig({ ...valid, VAPID_PUBLIC_KEY: raw, VAPID_PRIVATE_KEY: jwk.d as string }).push.vapid;
    expect(fromRaw).toEqual(fromJwk);
  });

  it("refuses unusable keys with a clear message and never echoes the private key", async () => {
    const { jwk, raw } = await vapidPair();
    const other = await vapidPair();
    const attempt = (extra: Record<string, string>) => () => loadConfig({ ...valid, ...extra });
    expect(attempt({ VAPID_PUBLIC_KEY: raw })).toThrow(/VAPID_PRIVATE_KEY is required/);
    expect(attempt({ VAPID_PRIVATE_KEY: jwk.d as string })).toThrow(/VAPID_PUBLIC_KEY must be the 65-byte/);
    expect(attempt({ VAPID_PRIVATE_KEY: JSON.stringify({ ...jwk, crv: "P-384" }) })).toThrow(/EC P-256 JWK/);
    expect(attempt({ VAPID_PRIVATE_KEY: "{not json" })).toThrow(/neither a JSON Web Key/);
    expect(attempt({ VAPID_PRIVATE_KEY: JSON.stringify(jwk), VAPID_PUBLIC_KEY: other.raw })).toThrow(/does not match/);
    try {
      loadConfig({ ...valid, VAPID_PRIVATE_KEY: JSON.stringify({ ...jwk, d: `${jwk.d}AA` }) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/32 bytes/);
      expect((error as Error).message).not.toContain(jwk.d as string);
    }
  });

  it("wants a mailto: or https: contact and host rules without IPs, ports or paths", () => {
    expect(loadConfig({ ...valid, VAPID_SUBJECT: "mailto:ops@example.com" }).push.subject).toBe("mailto:ops@example.com");
    expect(() => loadConfig({ ...valid, VAPID_SUBJECT: "http://example.com" })).toThrow(/VAPID_SUBJECT/);
    expect(loadConfig({ ...valid, PUSH_ENDPOINT_HOSTS: " Push.Example.com , *.push.example.net" }).push.endpointHosts).toEqual([
      "push.example.com",
      "*.push.example.net",
    ]);
    for (const bad of ["10.0.0.1", "push.example.com:443", "push.example.com/x", "*", "*.com.", "localhost"]) {
      expect(() => loadConfig({ ...valid, PUSH_ENDPOINT_HOSTS: bad }), bad).toThrow(/PUSH_ENDPOINT_HOSTS/);
    }
  });
});

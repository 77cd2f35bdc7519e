import { describe, expect, it } from "vitest";
import { DEFAULT_PUSH_ENDPOINT_HOSTS, type VapidKeyPair } from "../../src/config";
import { base64UrlDecode, base64UrlEncode } from "../../src/lib/encoding";
import { matchingNumbers } from "../../src/services/push/matching-numbers";
import { type PushTransport, sendWebPush } from "../../src/services/push/web-push";
import { fakeSubscription } from "./support";

const push = { subject: "mailto:ops@example.com", endpointHosts: DEFAULT_PUSH_ENDPOINT_HOSTS, allowLoopbackEndpoints: false };
const payload = { title: "Login request", body: "Someone is logging in", url: "https://id.example.com/push/approve?token=x", tag: "t" };

async function vapid(): Promise<VapidKeyPair & { verifyKey: CryptoKey }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  const publicKey = base64UrlEncode(new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer));
  return { publicKey, privateJwk: { kty: "EC", crv: "P-256", x: jwk.x ?? "", y: jwk.y ?? "", d: jwk.d ?? "" }, verifyKey: pair.publicKey };
}

function recorder(status: number, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const transport: PushTransport = async (url, init) => {
    calls.push({ url, init });
    return new Response(null, { status, headers });
  };
  return { calls, transport };
}

describe("Web Push sending (RFC 8030, VAPID RFC 8292)", () => {
  it("posts an encrypted payload with a VAPID JWT for the push service's origin, a short TTL and high urgency", async () => {
    const keys = await vapid();
    const subscription = await fakeSubscription();
    const { calls, transport } = recorder(201);
    expect(await sendWebPush(push, keys, subscription, payload, { ttlSeconds: 120, transport })).toBe("sent");
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe(subscription.endpoint);
    expect(call?.init.redirect).toBe("manual");
    const headers = new Headers(call?.init.headers);
    expect(headers.get("ttl")).toBe("120");
    expect(headers.get("urgency")).toBe("high");
    expect(headers.get("content-encoding")).toMatch(/^aes(128)?gcm$/);
    const body = new Uint8Array(call?.init.body as ArrayBuffer);
    expect(body.byteLength).toBeGreaterThan(16);
    // The payload is encrypted: the approval URL does not appear in the body.
    expect(new TextDecoder().decode(body)).not.toContain("/push/approve");
    const [, token = "", k = ""] = /^vapid t=([^,]+), k=(.+)$/.exec(headers.get("authorization") ?? "") ?? [];
    expect(k).toBe(keys.publicKey);
    const [header = "", claims = "", signature = ""] = token.split(".");
    const valid = await crypto.subtle.verify(
      { name: "ECDSA", hash: "SHA-256" },
      keys.verifyKey,
      base64UrlDecode(signature) as Uint8Array,
      new TextEncoder().encode(`${header}.${claims}`),
    );
    expect(valid).toBe(true);
    const jwt = JSON.parse(new TextDecoder().decode(base64UrlDecode(claims) as Uint8Array)) as { aud: string; sub: string; exp: number };
    expect(jwt.aud).toBe("https://fcm.googleapis.com");
    expect(jwt.sub).toBe("mailto:ops@example.com");
    expect(jwt.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 24 * 3600);
  });

  it("checks the allowlist again at send time: an endpoint that is no longer allowed is never called", async () => {
    const keys = await vapid();
    const { calls, transport } = recorder(201);
    const stored = await fakeSubscription("https://169.254.169.254/latest/meta-data");
    expect(await sendWebPush(push, keys, stored, payload, { ttlSeconds: 120, transport })).toBe("refused");
    const narrowed = { ...push, endpointHosts: ["updates.push.services.mozilla.com"] };
    expect(await sendWebPush(narrowed, keys, await fakeSubscription(), payload, { ttlSeconds: 120, transport })).toBe("refused");
    expect(calls).toHaveLength(0);
  });

  it("never follows a redirect from the push service (no bounce to an internal address)", async () => {
    const keys = await vapid();
    const { calls, transport } = recorder(307, { location: "http://169.254.169.254/latest/meta-data" });
    expect(await sendWebPush(push, keys, await fakeSubscription(), payload, { ttlSeconds: 120, transport })).toBe("failed");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.init.redirect).toBe("manual");
  });

  it("reports a dead subscription (404/410) as gone, other errors and network failures as failed", async () => {
    const keys = await vapid();
    const subscription = await fakeSubscription();
    expect(await sendWebPush(push, keys, subscription, payload, { ttlSeconds: 120, transport: recorder(410).transport })).toBe("gone");
    expect(await sendWebPush(push, keys, subscription, payload, { ttlSeconds: 120, transport: recorder(404).transport })).toBe("gone");
    expect(await sendWebPush(push, keys, subscription, payload, { ttlSeconds: 120, transport: recorder(500).transport })).toBe("failed");
    const broken: PushTransport = async () => {
      throw new TypeError("network down");
    };
    expect(await sendWebPush(push, keys, subscription, payload, { ttlSeconds: 120, transport: broken })).toBe("failed");
    expect(await sendWebPush(push, keys, { ...subscription, p256dh: "AAAA" }, payload, { ttlSeconds: 120, transport: recorder(201).transport })).toBe("failed");
  });
});

describe("number matching", () => {
  it("offers three distinct two-digit numbers, the one to match among them, at every position", () => {
    const positions = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const { match, choices } = matchingNumbers();
      expect(choices).toHaveLength(3);
      expect(new Set(choices).size).toBe(3);
      for (const choice of choices) expect(choice >= 10 && choice <= 99).toBe(true);
      expect(choices).toContain(match);
      positions.add(choices.indexOf(match));
    }
    expect(positions).toEqual(new Set([0, 1, 2]));
  });
});

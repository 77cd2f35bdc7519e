import { Buffer } from "node:buffer";
import { createECDH } from "node:crypto";
import { decrypt } from "http_ece";
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

/**
 * A subscription as a browser makes it, keeping what only the browser holds: the ECDH P-256 private key
 * and the 16-byte auth secret, so the test can decrypt what the push service would deliver.
 */
function receivingSubscription(endpoint = "https://fcm.googleapis.com/fcm/send/receiver") {
  const key = createECDH("prime256v1");
  key.generateKeys();
  const auth = base64UrlEncode(crypto.getRandomValues(new Uint8Array(16)));
  return { key, subscription: { endpoint, p256dh: key.getPublicKey("base64url"), auth } };
}

/** RFC 8291 as the browser does it: aes128gcm with the subscription's private key and auth secret (http_ece). */
function decryptAsBrowser(body: Uint8Array, receiver: ReturnType<typeof receivingSubscription>): unknown {
  const plaintext = decrypt(Buffer.from(body), { version: "aes128gcm", privateKey: receiver.key, authSecret: receiver.subscription.auth });
  return JSON.parse(new TextDecoder().decode(plaintext));
}

function recorder(status: number, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const transport: PushTransport = async (url, init) => {
    calls.push({ url, init });
    return new Response(null, { status, headers });
  };
  return { calls, transport };
}

describe("Web Push sending (RFC 8030, RFC 8291 aes128gcm, VAPID RFC 8292)", () => {
  it("posts an aes128gcm payload the subscription's keys decrypt, with a VAPID JWT for the push service's origin, a short TTL and high urgency", async () => {
    const keys = await vapid();
    const receiver = receivingSubscription();
    const { subscription } = receiver;
    const { calls, transport } = recorder(201);
    expect(await sendWebPush(push, keys, subscription, payload, { ttlSeconds: 120, transport })).toBe("sent");
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe(subscription.endpoint);
    expect(call?.init.method).toBe("POST");
    expect(call?.init.redirect).toBe("manual");
    const headers = new Headers(call?.init.headers);
    expect(headers.get("ttl")).toBe("120");
    expect(headers.get("urgency")).toBe("high");
    // RFC 8291: the aes128gcm coding carries salt and sender key in the body, none of the draft's headers.
    expect(headers.get("content-encoding")).toBe("aes128gcm");
    expect(headers.get("content-type")).toBe("application/octet-stream");
    expect(headers.get("encryption")).toBeNull();
    expect(headers.get("crypto-key")).toBeNull();
    const body = new Uint8Array(call?.init.body as ArrayBuffer);
    // Padded to a constant 4096 bytes: the length says nothing about the text.
    expect(body.byteLength).toBe(4096);
    expect(headers.get("content-length")).toBe("4096");
    // The payload is encrypted: the approval URL does not appear in the body...
    expect(new TextDecoder().decode(body)).not.toContain("/push/approve");
    // ...and the browser holding the subscription's private key and auth secret gets it back exactly.
    expect(decryptAsBrowser(body, receiver)).toEqual(payload);
    // Someone else's subscription keys cannot read it.
    const other = receivingSubscription();
    expect(() => decryptAsBrowser(body, { ...other, subscription: { ...other.subscription, auth: subscription.auth } })).toThrow();
    const [, token = "", k = ""] = /^vapid t=([^,]+), k=(.+)$/.exec(headers.get("authorization") ?? "") ?? [];
    expect(k).toBe(keys.publicKey);
    const [header = "", claims = "", signature = ""] = token.split(".");
    expect(JSON.parse(new TextDecoder().decode(base64UrlDecode(header) as Uint8Array))).toMatchObject({ alg: "ES256" });
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

  it("development only: a loopback http endpoint is built for its https form and delivered over http", async () => {
    const keys = await vapid();
    const receiver = receivingSubscription("http://127.0.0.1:9999/push/abc");
    const { calls, transport } = recorder(201);
    const development = { ...push, allowLoopbackEndpoints: true };
    expect(await sendWebPush(development, keys, receiver.subscription, payload, { ttlSeconds: 120, transport })).toBe("sent");
    expect(calls[0]?.url).toBe("http://127.0.0.1:9999/push/abc");
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.get("content-encoding")).toBe("aes128gcm");
    expect(decryptAsBrowser(new Uint8Array(calls[0]?.init.body as ArrayBuffer), receiver)).toEqual(payload);
    const claims = (headers.get("authorization") ?? "").split(".")[1] ?? "";
    expect((JSON.parse(new TextDecoder().decode(base64UrlDecode(claims) as Uint8Array)) as { aud: string }).aud).toBe("https://127.0.0.1:9999");
    // Outside development the same endpoint is refused before anything is built or sent.
    expect(await sendWebPush(push, keys, receiver.subscription, payload, { ttlSeconds: 120, transport })).toBe("refused");
    expect(calls).toHaveLength(1);
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

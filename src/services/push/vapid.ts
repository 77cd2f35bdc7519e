import type { VapidKeyPair } from "../../config";
import { base64UrlEncode } from "../../lib/encoding";
import { pushSettingsStore } from "../../storage/push-settings-store";
import type { Deps } from "../deps";
import { decryptSecret, encryptSecret } from "../oidc/key-encryption";

const SEAL_PURPOSE = "push-vapid-private-key";
const generated = new Map<string, Promise<VapidKeyPair>>();

/**
 * The VAPID key pair (RFC 8292): the configured one, or, outside production, one generated on first use
 * and kept in D1 sealed with KEY_ENCRYPTION_KEY (so every isolate and restart signs with the same key and
 * existing subscriptions keep working). Null in production without configured keys: push is unavailable.
 */
export function vapidKeys(deps: Pick<Deps, "config" | "db" | "clock">): Promise<VapidKeyPair | null> {
  if (deps.config.push.vapid) return Promise.resolve(deps.config.push.vapid);
  if (deps.config.environment === "production") return Promise.resolve(null);
  const cacheKey = deps.config.keyEncryptionKey;
  let keys = generated.get(cacheKey);
  if (!keys) {
    keys = loadOrGenerate(deps);
    // A failed attempt (e.g. D1 hiccup) is retried on the next request rather than cached.
    keys.catch(() => generated.delete(cacheKey));
    generated.set(cacheKey, keys);
  }
  return keys;
}

async function loadOrGenerate(deps: Pick<Deps, "config" | "db" | "clock">): Promise<VapidKeyPair> {
  const store = pushSettingsStore(deps.db);
  let stored = await store.readVapid();
  if (!stored) {
    const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
    const publicKey = base64UrlEncode(new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer));
    const privateJwk = { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, d: jwk.d };
    await store.insertVapidIfAbsent(
      { publicKey, sealedPrivateJwk: await encryptSecret(deps.config.keyEncryptionKey, SEAL_PURPOSE, JSON.stringify(privateJwk)) },
      deps.clock(),
    );
    stored = await store.readVapid();
    if (!stored) throw new Error("the generated VAPID key pair was not stored");
  }
  const privateJwk = JSON.parse(await decryptSecret(deps.config.keyEncryptionKey, SEAL_PURPOSE, stored.sealedPrivateJwk)) as VapidKeyPair["privateJwk"];
  return { publicKey: stored.publicKey, privateJwk };
}

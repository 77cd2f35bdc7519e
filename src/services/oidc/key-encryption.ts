import { base64UrlDecode, base64UrlEncode, utf8 } from "../../lib/encoding";
import { randomBytes } from "../../lib/random";

const keys = new Map<string, Promise<CryptoKey>>();

/** AES-256-GCM key for one purpose, derived from KEY_ENCRYPTION_KEY with HKDF-SHA-256 (purpose as `info`). */
function derivedKey(secret: string, purpose: string): Promise<CryptoKey> {
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: utf8.encode("gatehouse"), info: utf8.encode(purpose) },
        material,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    keys.set(cacheKey, key);
  }
  return key;
}

/** Encrypts `plaintext` as `base64url(iv ‖ ciphertext+tag)`; `purpose` is also bound as associated data. */
export async function encryptSecret(secret: string, purpose: string, plaintext: string): Promise<string> {
  const iv = randomBytes(12);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8.encode(purpose) },
    await derivedKey(secret, purpose),
    utf8.encode(plaintext),
  );
  const out = new Uint8Array(iv.length + ciphertext.byteLength);
  out.set(iv);
  out.set(new Uint8Array(ciphertext), iv.length);
  return base64UrlEncode(out);
}

/** Reverses `encryptSecret`; throws when the data was altered or the key differs. */
export async function decryptSecret(secret: string, purpose: string, sealed: string): Promise<string> {
  const bytes = base64UrlDecode(sealed);
  if (!bytes || bytes.length < 13) throw new Error("sealed secret is malformed");
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: utf8.encode(purpose) },
    await derivedKey(secret, purpose),
    bytes.slice(12),
  );
  return new TextDecoder().decode(plaintext);
}

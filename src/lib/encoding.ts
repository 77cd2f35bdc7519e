/** Base64url without padding (RFC 4648 §5), the encoding of every token we mint. */
export function base64UrlEncode(bytes: Uint8Array): string {
  // The runtime's own encoder (TC39 Uint8Array base64, in workerd) where there is one: every token and JWT
  // we mint goes through here, and it is several times cheaper than building a binary string for btoa.
  const native = (bytes as Base64Capable).toBase64;
  if (native) return native.call(bytes, { alphabet: "base64url", omitPadding: true });
  return base64UrlEncodeWithBtoa(bytes);
}

type Base64Capable = Uint8Array & { toBase64?: (options: { alphabet: "base64url"; omitPadding: boolean }) => string };

/** The portable encoding, for runtimes without `Uint8Array.prototype.toBase64`. */
export function base64UrlEncodeWithBtoa(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes base64url (padding optional); returns `null` for anything that is not base64url. */
export function base64UrlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  try {
    return binaryToBytes(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)));
  } catch {
    return null;
  }
}

/** The bytes of an `atob` result (one char per byte). A plain loop: `Uint8Array.from` with a mapper is several times slower. */
export function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let hex = "";
  for (const byte of view) hex += HEX[byte];
  return hex;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export const utf8 = new TextEncoder();

import { base64UrlEncode } from "./encoding";

/** `byteLength` bytes from the platform CSPRNG. */
export function randomBytes(byteLength: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(byteLength));
}

/** An unguessable token: 32 random bytes (256 bits), base64url. */
export function randomToken(byteLength = 32): string {
  return base64UrlEncode(randomBytes(byteLength));
}

/**
 * A uniformly random string of `length` decimal digits (one-time codes).
 * Rejection sampling avoids the modulo bias of `value % 10`.
 */
export function randomDigits(length: number): string {
  let digits = "";
  while (digits.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 250 && digits.length < length) digits += String(byte % 10);
    }
  }
  return digits;
}

/** A random UUID (v4) for row ids. */
export function randomId(): string {
  return crypto.randomUUID();
}

import { utf8 } from "./encoding";

/**
 * Compares two strings in time that depends only on their lengths.
 * Both sides are hashed first so inputs of different length still take the same path.
 */
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([crypto.subtle.digest("SHA-256", utf8.encode(a)), crypto.subtle.digest("SHA-256", utf8.encode(b))]);
  return crypto.subtle.timingSafeEqual(left, right);
}

/**
 * Compares two digests of the same public length (e.g. SHA-256 hex) in constant time. Unlike
 * `timingSafeEqualStrings` it hashes nothing first: both sides already have a fixed length.
 */
export function timingSafeEqualDigests(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return crypto.subtle.timingSafeEqual(utf8.encode(a), utf8.encode(b));
}

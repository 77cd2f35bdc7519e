import { base64UrlEncode, utf8 } from "../../lib/encoding";
import { timingSafeEqualStrings } from "../../lib/timing-safe";

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** RFC 7636 §4.2: a S256 challenge is base64url(SHA-256(verifier)), 43 characters. */
export function isValidCodeChallenge(challenge: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(challenge);
}

/** Checks a verifier against a S256 challenge (the only method we accept) in constant time. */
export async function verifyS256(verifier: string, challenge: string): Promise<boolean> {
  if (!isValidCodeVerifier(verifier)) return false;
  const computed = base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(verifier))));
  return timingSafeEqualStrings(computed, challenge);
}

import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { base64UrlEncode, utf8 } from "../../lib/encoding";
import type { SigningAlg } from "./client-model";
import type { KeyRing } from "./keys";

const VERIFY_ALGS: SigningAlg[] = ["ES256", "EdDSA", "RS256"];

/** Signs a JWT with the ring's active key for `alg`. */
export async function signJwt(ring: KeyRing, alg: SigningAlg, typ: string, payload: JWTPayload): Promise<string> {
  const key = ring.signing.get(alg);
  if (!key) throw new Error(`no active ${alg} signing key`);
  return new SignJWT(payload).setProtectedHeader({ alg, kid: key.kid, typ }).sign(key.privateKey);
}

/**
 * Verifies a JWT we issued: the key is looked up by `kid` among our published keys only (never `jku`,
 * `x5u` or an embedded key), the algorithm must be one we sign with and match that key, so `none` and
 * HMAC-with-a-public-key are refused. Returns null for anything invalid (callers map it to their error).
 */
export async function verifyOwnJwt(
  ring: KeyRing,
  token: string,
  options: { issuer: string; typ?: string; audience?: string; ignoreExpiry?: boolean; now: number },
): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const entry = header.kid ? ring.publicKeys.get(header.kid) : undefined;
        if (!entry || entry.alg !== header.alg) throw new errors.JWKSNoMatchingKey();
        return entry.key;
      },
      {
        issuer: options.issuer,
        audience: options.audience,
        typ: options.typ,
        algorithms: VERIFY_ALGS,
        currentDate: new Date(options.now),
        clockTolerance: options.ignoreExpiry ? Number.MAX_SAFE_INTEGER : 0,
      },
    );
    return payload;
  } catch {
    return null;
  }
}

/**
 * `at_hash`: the left half of the hash of the access token, with the hash of the ID token's algorithm
 * (SHA-256 for ES256/RS256, SHA-512 for EdDSA with Ed25519), base64url (OIDC Core §3.1.3.6).
 */
export async function tokenHalfHash(alg: SigningAlg, token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest(alg === "EdDSA" ? "SHA-512" : "SHA-256", utf8.encode(token)));
  return base64UrlEncode(digest.slice(0, digest.length / 2));
}

import { errors, type JWTPayload, jwtVerify } from "jose";
import { base64UrlEncode, utf8 } from "../../lib/encoding";
import type { SigningAlg } from "./client-model";
import type { KeyRing } from "./keys";

const VERIFY_ALGS: SigningAlg[] = ["ES256", "EdDSA", "RS256"];

/**
 * The WebCrypto signature parameters for a key of the ring (RFC 7518 §3, RFC 8037): ECDSA names its hash
 * per call; RSASSA-PKCS1-v1_5 (its hash bound at import) and Ed25519 need only the key's own algorithm.
 */
function signParams(alg: SigningAlg, key: CryptoKey): Parameters<SubtleCrypto["sign"]>[0] {
  return alg === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : { name: key.algorithm.name };
}

/** Encoded protected headers, per key and `typ`: the same few strings on every token. */
const encodedHeaders = new Map<string, string>();

/**
 * Signs a JWT (JWS compact serialization, RFC 7515 §7.1) with the ring's active key for `alg`. WebCrypto
 * does the signing; for ECDSA it returns the fixed-length R‖S form that JWS requires (RFC 7518 §3.4).
 * Built here rather than with jose's `SignJWT`, whose claim and header validation costs a tenth of a token
 * request on work that cannot fail for our own fixed claims (docs/performance.md); jose verifies everything.
 */
export async function signJwt(ring: KeyRing, alg: SigningAlg, typ: string, payload: JWTPayload): Promise<string> {
  const key = ring.signing.get(alg);
  if (!key) throw new Error(`no active ${alg} signing key`);
  const headerKey = `${key.kid}\n${typ}`;
  let header = encodedHeaders.get(headerKey);
  if (!header) {
    header = base64UrlEncode(utf8.encode(JSON.stringify({ alg, kid: key.kid, typ })));
    encodedHeaders.set(headerKey, header);
  }
  const input = `${header}.${base64UrlEncode(utf8.encode(JSON.stringify(payload)))}`;
  const signature = await crypto.subtle.sign(signParams(alg, key.privateKey), key.privateKey, utf8.encode(input));
  return `${input}.${base64UrlEncode(new Uint8Array(signature))}`;
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

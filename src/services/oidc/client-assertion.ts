import { createLocalJWKSet, decodeJwt, type JWTPayload, jwtVerify } from "jose";
import type { Deps } from "../deps";
import { ASSERTION_ALGS, type AssertionAlg } from "./client-metadata";
import type { Client } from "./client-model";

/** RFC 7523 §2.2: the only `client_assertion_type` we accept. */
export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** An assertion may live at most this long from now: it is single use, so a long one only widens the replay window. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Tolerated clock difference between the client and us. */
export const ASSERTION_CLOCK_SKEW_SECONDS = 30;

export type KeySet = ReturnType<typeof createLocalJWKSet>;

/** The client id an assertion claims to be from (`sub`, which must equal `iss`), read before any check; `null` on garbage. */
export function assertionSubject(assertion: string): string | null {
  try {
    const { sub } = decodeJwt(assertion);
    return typeof sub === "string" && sub.length > 0 ? sub : null;
  } catch {
    return null;
  }
}

/** The client's registered keys as a jose key set; never a URL (`jwks_uri`, `jku`, `x5u` are not consulted). */
export function keySetOf(client: Client): KeySet | null {
  return client.jwks && client.jwks.keys.length > 0 ? createLocalJWKSet(client.jwks) : null;
}

/**
 * Verifies a private_key_jwt assertion (RFC 7523 §3, OIDC Core §9) without recording its `jti`:
 * signature by one of the client's keys under an asymmetric algorithm, `iss` = `sub` = client id,
 * `aud` naming the token endpoint or the issuer, `exp` present and at most five minutes ahead, `jti` present.
 * Returns the payload, or a reason (for the log only) when it is not acceptable.
 */
export async function verifyClientAssertion(
  deps: Pick<Deps, "clock" | "config">,
  client: Client,
  keys: KeySet,
  assertion: string,
  options: { tokenEndpoint: string; signingAlg?: AssertionAlg },
): Promise<{ ok: true; payload: JWTPayload & { exp: number; jti: string } } | { ok: false; reason: string }> {
  const now = deps.clock();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms: options.signingAlg ? [options.signingAlg] : [...ASSERTION_ALGS],
      issuer: client.clientId,
      subject: client.clientId,
      audience: [options.tokenEndpoint, deps.config.issuerUrl],
      requiredClaims: ["exp", "jti"],
      currentDate: new Date(now),
      clockTolerance: ASSERTION_CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    return { ok: false, reason: `assertion rejected: ${(error as { code?: string }).code ?? "ERR"} ${(error as Error).message}` };
  }
  const { exp, jti } = payload;
  if (typeof exp !== "number" || exp * 1000 > now + (MAX_ASSERTION_LIFETIME_SECONDS + ASSERTION_CLOCK_SKEW_SECONDS) * 1000) {
    return { ok: false, reason: `assertion exp is more than ${MAX_ASSERTION_LIFETIME_SECONDS} s ahead` };
  }
  if (typeof jti !== "string" || jti.length === 0 || jti.length > 256) return { ok: false, reason: "assertion jti missing or longer than 256 characters" };
  return { ok: true, payload: { ...payload, exp, jti } };
}

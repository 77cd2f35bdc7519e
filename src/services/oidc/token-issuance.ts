import { sha256Hex } from "../../lib/hashing";
import { randomId, randomToken } from "../../lib/random";
import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import type { UserRow } from "../../storage/schema";
import type { Deps } from "../deps";
import { profileClaims } from "../profile/claims";
import type { Client } from "./client-model";
import type { GrantDetails } from "./grant";
import { signJwt, tokenHalfHash } from "./jwt";
import type { KeyRing } from "./keys";
import { userClaims } from "./scopes";

/** The successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

/** Access tokens are RFC 9068 JWTs signed ES256. */
export const ACCESS_TOKEN_ALG = "ES256";

export async function signAccessToken(
  deps: Pick<Deps, "config" | "clock">,
  ring: KeyRing,
  subject: string,
  client: Client,
  grant: GrantDetails,
): Promise<string> {
  const now = Math.floor(deps.clock() / 1000);
  return signJwt(ring, ACCESS_TOKEN_ALG, "at+jwt", {
    iss: deps.config.issuerUrl,
    sub: subject,
    aud: grant.resource ?? deps.config.issuerUrl,
    client_id: client.clientId,
    iat: now,
    exp: now + deps.config.tokens.accessTokenTtlSeconds,
    jti: randomId(),
    scope: grant.scope.join(" "),
    ...(grant.sid ? { auth_time: grant.authTime, acr: grant.acr, amr: grant.amr, sid: grant.sid } : {}),
  });
}

/**
 * Issues the token response for a user grant: an access token, an ID token when `openid` was granted,
 * and a refresh token (new family, or a new member of `familyId`) when `withRefresh`.
 */
export async function issueUserTokens(
  deps: Deps,
  ring: KeyRing,
  client: Client,
  user: UserRow,
  grant: GrantDetails,
  /** `familyGrant`: what the refresh token keeps (the original grant), when the tokens themselves carry a narrowed scope. */
  refresh: { withRefresh: boolean; familyId?: string; familyExpiresAt?: number; familyGrant?: GrantDetails },
): Promise<{ response: TokenResponse; familyId: string | null }> {
  const accessToken = await signAccessToken(deps, ring, user.id, client, grant);
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: deps.config.tokens.accessTokenTtlSeconds,
    scope: grant.scope.join(" "),
  };
  if (grant.scope.includes("openid")) {
    const now = Math.floor(deps.clock() / 1000);
    const alg = client.idTokenSignedResponseAlg;
    response.id_token = await signJwt(ring, alg, "JWT", {
      ...(await profileClaims(deps, user.id, grant.scope)),
      ...userClaims(user, grant.scope),
      iss: deps.config.issuerUrl,
      sub: user.id,
      aud: client.clientId,
      azp: client.clientId,
      iat: now,
      exp: now + deps.config.tokens.idTokenTtlSeconds,
      auth_time: grant.authTime,
      acr: grant.acr,
      amr: grant.amr,
      ...(grant.sid ? { sid: grant.sid } : {}),
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      // Checked again here: an app whose claim was switched off gets none, even from an older grant.
      ...(grant.risk && client.riskPolicy?.risk_claim ? { gatehouse_risk: grant.risk } : {}),
      at_hash: await tokenHalfHash(alg, accessToken),
    });
  }
  if (!refresh.withRefresh) return { response, familyId: null };
  const refreshToken = randomToken(32);
  const familyId = refresh.familyId ?? randomId();
  const now = deps.clock();
  const { codeChallenge: _challenge, nonce: _nonce, ...kept } = refresh.familyGrant ?? grant;
  await oauthGrantsStore(deps.db)
    .insertRefreshStatement({
      tokenHash: await sha256Hex(refreshToken),
      familyId,
      clientId: client.clientId,
      userId: user.id,
      sessionId: grant.sid,
      grant: { ...kept, nonce: null } as unknown as Record<string, unknown>,
      createdAt: now,
      expiresAt: refresh.familyExpiresAt ?? now + deps.config.tokens.refreshTokenTtlSeconds * 1000,
    })
    .run();
  response.refresh_token = refreshToken;
  return { response, familyId };
}

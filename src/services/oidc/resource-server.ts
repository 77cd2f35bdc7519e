import type { JWTPayload } from "jose";
import { sha256Hex } from "../../lib/hashing";
import { askGuard } from "../../storage/guards";
import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { profileClaims } from "../profile/claims";
import type { Client } from "./client-model";
import { verifyOwnJwt } from "./jwt";
import { getKeyRing } from "./keys";
import { OAuthError } from "./oauth-error";
import { userClaims } from "./scopes";

const BEARER_CHALLENGE = (error: string) => `Bearer realm="gatehouse", error="${error}"`;

/** Verifies one of our RFC 9068 access tokens for this issuer; null when invalid in any way. */
export async function verifyAccessToken(deps: Deps, token: string, audience: string): Promise<JWTPayload | null> {
  return verifyOwnJwt(await getKeyRing(deps), token, { issuer: deps.config.issuerUrl, typ: "at+jwt", audience, now: deps.clock() });
}

/**
 * The UserInfo endpoint (OIDC Core §5.3): a valid access token for this issuer with `openid`, whose
 * user is active and whose browser session has not been ended.
 */
export async function userInfo(deps: Deps, token: string | null): Promise<{ claims: Record<string, unknown>; clientId: string | null }> {
  if (!token) throw new OAuthError("invalid_request", "an access token is required", { status: 401, wwwAuthenticate: 'Bearer realm="gatehouse"' });
  const payload = await verifyAccessToken(deps, token, deps.config.issuerUrl);
  const invalid = () => new OAuthError("invalid_token", "the access token is invalid or expired", { wwwAuthenticate: BEARER_CHALLENGE("invalid_token") });
  if (!payload || typeof payload.sub !== "string") throw invalid();
  const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  if (!scopes.includes("openid"))
    throw new OAuthError("insufficient_scope", "the access token lacks the openid scope", { wwwAuthenticate: BEARER_CHALLENGE("insufficient_scope") });
  const user = await usersStore(deps.db).findById(payload.sub);
  if (user?.status !== "active" || !(await sessionStillActive(deps, user, payload))) throw invalid();
  // Profile answers first: the claims Gatehouse itself holds (sub, email, …) always win.
  const claims = { ...(await profileClaims(deps, user.id, scopes)), ...userClaims(user, scopes) };
  return { claims, clientId: typeof payload.client_id === "string" ? payload.client_id : null };
}

async function sessionStillActive(deps: Deps, user: UserRow, payload: JWTPayload): Promise<boolean> {
  if (typeof payload.sid !== "string") return true;
  const sid = payload.sid;
  return (await askGuard(() => deps.guards.user(user.id).getActiveSession(sid, deps.clock()))) !== null;
}

/** Token revocation (RFC 7009): a refresh token ends its family; unknown or foreign tokens are answered alike. */
export async function revokeToken(deps: Deps, client: Client, token: string | undefined): Promise<void> {
  if (!token) throw new OAuthError("invalid_request", "token is required");
  const store = oauthGrantsStore(deps.db);
  const refresh = await store.findRefresh(await sha256Hex(token));
  if (refresh && refresh.clientId === client.clientId) await store.revokeFamilyStatement(refresh.familyId, deps.clock()).run();
  // Access tokens are self-contained JWTs that live minutes; they are not tracked, so there is nothing to revoke.
}

/** Token introspection (RFC 7662) for the client the token was issued to. */
export async function introspectToken(deps: Deps, client: Client, token: string | undefined): Promise<Record<string, unknown>> {
  if (!token) throw new OAuthError("invalid_request", "token is required");
  const now = deps.clock();
  const refresh = await oauthGrantsStore(deps.db).findRefresh(await sha256Hex(token));
  if (refresh) {
    const live = refresh.clientId === client.clientId && refresh.revokedAt === null && refresh.rotatedAt === null && refresh.expiresAt > now;
    if (!live) return { active: false };
    const grant = refresh.grant as { scope?: string[] };
    return {
      active: true,
      token_type: "refresh_token",
      client_id: refresh.clientId,
      sub: refresh.userId,
      scope: (grant.scope ?? []).join(" "),
      exp: Math.floor(refresh.expiresAt / 1000),
      iat: Math.floor(refresh.createdAt / 1000),
      iss: deps.config.issuerUrl,
    };
  }
  const payload = await verifyOwnJwt(await getKeyRing(deps), token, { issuer: deps.config.issuerUrl, typ: "at+jwt", now });
  if (!payload || payload.client_id !== client.clientId) return { active: false };
  if (payload.sub !== client.clientId) {
    const user = typeof payload.sub === "string" ? await usersStore(deps.db).findById(payload.sub) : undefined;
    if (user?.status !== "active") return { active: false };
  }
  return { active: true, token_type: "access_token", ...payload };
}

import { sha256Hex } from "../../lib/hashing";
import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import type { Client } from "./client-model";
import { clientAllowsGrant } from "./clients";
import { readGrant } from "./grant";
import { getKeyRing } from "./keys";
import { OAuthError } from "./oauth-error";
import { verifyS256 } from "./pkce";
import { OIDC_SCOPES, parseScope } from "./scopes";
import { issueUserTokens, signAccessToken, type TokenResponse } from "./token-issuance";

/** RFC 6749 §4.1.3 with RFC 7636: redeems a code exactly once. A replayed code revokes what its first use issued. */
export async function authorizationCodeGrant(deps: Deps, client: Client, form: Record<string, string>): Promise<TokenResponse> {
  const { code, redirect_uri: redirectUri, code_verifier: verifier } = form;
  if (!code || !redirectUri) throw new OAuthError("invalid_request", "code and redirect_uri are required");
  if (!verifier) throw new OAuthError("invalid_request", "code_verifier is required (PKCE)");
  const store = oauthGrantsStore(deps.db);
  const codeHash = await sha256Hex(code);
  const now = deps.clock();
  const row = await store.redeemCode(codeHash, now);
  if (!row) {
    const replayed = await store.findCode(codeHash);
    if (replayed?.familyId) await store.revokeFamilyStatement(replayed.familyId, now).run();
    throw new OAuthError("invalid_grant", "the authorization code is invalid, expired or already used", {
      internal: replayed ? "code replay" : "unknown code",
    });
  }
  if (row.clientId !== client.clientId) throw new OAuthError("invalid_grant", "the authorization code was issued to another client");
  if (row.expiresAt <= now) throw new OAuthError("invalid_grant", "the authorization code is invalid, expired or already used", { internal: "expired" });
  if (row.redirectUri !== redirectUri) throw new OAuthError("invalid_grant", "redirect_uri does not match the authorization request");
  const grant = readGrant(row.grant);
  if (!grant.codeChallenge || !(await verifyS256(verifier, grant.codeChallenge))) throw new OAuthError("invalid_grant", "PKCE verification failed");
  const user = await usersStore(deps.db).findById(row.userId);
  if (user?.status !== "active") throw new OAuthError("invalid_grant", "the user of this grant is no longer active");

  const ring = await getKeyRing(deps);
  const withRefresh = grant.scope.includes("offline_access") && clientAllowsGrant(client, "refresh_token");
  const { response, familyId } = await issueUserTokens(deps, ring, client, user, { ...grant, codeChallenge: undefined }, { withRefresh });
  if (familyId) {
    await store.setCodeFamily(codeHash, familyId).run();
    // A replay that raced the first redemption finds the family now and revokes it.
  }
  await store.touchConsentStatement(user.id, client.clientId, now).run();
  return response;
}

/**
 * RFC 6749 §6 with rotation: every use returns a new refresh token. The rotation is one conditional
 * UPDATE, so concurrent uses serialize; a repeat within the reuse interval (a retry, two tabs) gets a
 * sibling pair, a repeat after it revokes the whole family (token theft).
 */
export async function refreshTokenGrant(deps: Deps, client: Client, form: Record<string, string>): Promise<TokenResponse> {
  const token = form.refresh_token;
  if (!token) throw new OAuthError("invalid_request", "refresh_token is required");
  const store = oauthGrantsStore(deps.db);
  const tokenHash = await sha256Hex(token);
  const now = deps.clock();
  const requested = parseScope(form.scope);
  if (requested === null) throw new OAuthError("invalid_scope", "scope is malformed");
  // A scope the grant does not cover is refused before rotating, so the client keeps its refresh token.
  const presented = await store.findRefresh(tokenHash);
  if (presented && presented.clientId === client.clientId && requested.some((scope) => !readGrant(presented.grant).scope.includes(scope))) {
    throw new OAuthError("invalid_scope", "the requested scope exceeds the original grant");
  }
  let row = await store.rotateRefresh(tokenHash, now);
  if (!row) {
    // Read again: a concurrent request may have rotated it since `presented` was read.
    const existing = await store.findRefresh(tokenHash);
    const withinReuse =
      existing?.rotatedAt != null && existing.revokedAt === null && now - existing.rotatedAt <= deps.config.tokens.refreshReuseIntervalSeconds * 1000;
    if (!existing || existing.clientId !== client.clientId || !withinReuse || existing.expiresAt <= now) {
      if (existing && existing.clientId === client.clientId && existing.rotatedAt !== null && existing.revokedAt === null) {
        await store.revokeFamilyStatement(existing.familyId, now).run();
      }
      throw new OAuthError("invalid_grant", "the refresh token is invalid, expired or revoked", { internal: existing ? "reuse or revoked" : "unknown" });
    }
    row = existing;
  }
  if (row.clientId !== client.clientId) throw new OAuthError("invalid_grant", "the refresh token was issued to another client");
  if (await store.familyRevoked(row.familyId)) throw new OAuthError("invalid_grant", "the refresh token is invalid, expired or revoked");
  const grant = readGrant(row.grant);
  const user = await usersStore(deps.db).findById(row.userId);
  if (user?.status !== "active") throw new OAuthError("invalid_grant", "the user of this grant is no longer active");
  const narrowed = { ...grant, scope: requested.length > 0 ? requested : grant.scope };
  const ring = await getKeyRing(deps);
  // The new refresh token keeps the family's full grant (RFC 6749 §6: same scope as the old one); only these tokens are narrowed.
  const { response } = await issueUserTokens(deps, ring, client, user, narrowed, {
    withRefresh: true,
    familyId: row.familyId,
    familyExpiresAt: row.expiresAt,
    familyGrant: grant,
  });
  return response;
}

/** RFC 6749 §4.4: a token for the client itself; no user, no refresh token, no storage read once cached. */
export async function clientCredentialsGrant(deps: Deps, client: Client, form: Record<string, string>): Promise<TokenResponse> {
  const requested = parseScope(form.scope);
  if (requested === null) throw new OAuthError("invalid_scope", "scope is malformed");
  // The OIDC scopes are about a user; a client acting for itself gets only API scopes.
  const allowed = client.scopes.filter((scope) => !(OIDC_SCOPES as readonly string[]).includes(scope));
  if (requested.some((scope) => !allowed.includes(scope))) throw new OAuthError("invalid_scope", "the requested scope is not allowed for this client");
  const resource = form.resource ?? null;
  if (resource !== null && !client.allowedResources.includes(resource)) throw new OAuthError("invalid_target", "the resource is not allowed for this client");
  const scope = requested.length > 0 ? requested : allowed;
  const ring = await getKeyRing(deps);
  const grant = { scope, resource, authTime: 0, acr: "", amr: [], sid: null, nonce: null };
  const accessToken = await signAccessToken(deps, ring, client.clientId, client, grant);
  return { access_token: accessToken, token_type: "Bearer", expires_in: deps.config.tokens.accessTokenTtlSeconds, scope: scope.join(" ") };
}

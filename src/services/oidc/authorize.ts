import { sha256Hex } from "../../lib/hashing";
import { randomToken } from "../../lib/random";
import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import { usersStore } from "../../storage/users-store";
import { acrFor, acrSatisfies, requestedAcr } from "../auth/methods";
import type { Deps } from "../deps";
import type { Session } from "../sessions";
import { type AuthorizationRequest, PAR_PREFIX } from "./authorization-request";
import type { GrantDetails } from "./grant";
import { sealInteraction } from "./interaction";
import { verifyOwnJwt } from "./jwt";
import { getKeyRing } from "./keys";
import { OAuthError } from "./oauth-error";

/** Authorization codes live 60 seconds. */
export const CODE_LIFETIME_MS = 60_000;

export type AuthorizeDecision =
  | { kind: "login"; interaction: string; loginHint: string | null; signup: boolean }
  | { kind: "consent"; interaction: string }
  | { kind: "step_up"; interaction: string; requiredAcr: string | null }
  | { kind: "verify"; interaction: string; missing: ("email" | "phone")[] }
  | { kind: "respond"; params: Record<string, string> };

/**
 * Decides what an authorization request needs next: a (fresh) login, the consent page, or the
 * response with a code. `prompt=none` never shows anything: it answers login_required / consent_required.
 */
export async function decideAuthorization(
  deps: Deps,
  request: AuthorizationRequest,
  session: Session | null,
  resume: { authAfter: number; consented: boolean } | null,
): Promise<AuthorizeDecision> {
  const now = deps.clock();
  const authAfter = resume?.authAfter ?? (request.prompt.has("login") ? now : 0);
  const interaction = (consented = resume?.consented ?? false) =>
    sealInteraction(deps.config.keyEncryptionKey, { params: request.params, authAfter, consented }, now);

  let needsLogin = !session || session.authenticatedAt < authAfter;
  // A login made for this very request satisfies max_age, even max_age=0 (else it would loop).
  const loggedInForThisRequest = resume !== null && resume.authAfter > 0 && session !== null && session.authenticatedAt >= resume.authAfter;
  if (session && request.maxAge !== null && !loggedInForThisRequest && now - session.authenticatedAt > request.maxAge * 1000) needsLogin = true;
  if (session && request.idTokenHint) {
    const hint = await verifyOwnJwt(await getKeyRing(deps), request.idTokenHint, { issuer: deps.config.issuerUrl, ignoreExpiry: true, now });
    if (!hint) throw new OAuthError("invalid_request", "id_token_hint is not a valid ID token of this issuer");
    if (hint.sub !== session.userId) needsLogin = true;
  }
  const user = session && !needsLogin ? await usersStore(deps.db).findById(session.userId) : undefined;
  if (session && !needsLogin && user?.status !== "active") needsLogin = true;
  if (needsLogin || !session || !user) {
    if (request.prompt.has("none")) throw new OAuthError("login_required", "the user must log in");
    // The login that resumes this request must happen after this moment.
    const paused = await sealInteraction(deps.config.keyEncryptionKey, { params: request.params, authAfter: now }, now);
    return { kind: "login", interaction: paused, loginHint: request.loginHint, signup: request.prompt.has("create") };
  }

  // The session is too weak for what the app asks (`acr_values`, or its policy requires two factors): step up.
  const requiredAcr = requestedAcr(request.acrValues);
  const tooWeak = requiredAcr !== null && !acrSatisfies(acrFor(session.amr), requiredAcr);
  if (tooWeak || (request.client.mfaPolicy === "required" && !session.amr.includes("mfa"))) {
    if (request.prompt.has("none")) throw new OAuthError("interaction_required", "a stronger login (a second factor) is required");
    return { kind: "step_up", interaction: await interaction(), requiredAcr };
  }

  // The app needs verified contact details (`require_verified`) before it gets tokens: verify, then continue.
  const missing = request.client.requireVerified.filter((claim) => (claim === "email" ? !user.emailVerified : !user.phoneVerified));
  if (missing.length > 0) {
    if (request.prompt.has("none")) throw new OAuthError("interaction_required", `the user must verify their ${missing.join(" and ")} first`);
    return { kind: "verify", interaction: await interaction(), missing };
  }

  if (!request.client.firstParty) {
    const consent = await oauthGrantsStore(deps.db).findConsent(user.id, request.client.clientId);
    const covered = consent !== undefined && request.scope.every((scope) => consent.scopes.split(" ").includes(scope));
    const mustAsk = !resume?.consented && (!covered || request.prompt.has("consent"));
    if (mustAsk) {
      if (request.prompt.has("none")) throw new OAuthError("consent_required", "the user must consent");
      return { kind: "consent", interaction: await interaction(false) };
    }
  }
  return { kind: "respond", params: await issueCode(deps, request, session) };
}

/** Issues a code (256 bits; only its hash is stored) and links the client to the session for logout. */
async function issueCode(deps: Deps, request: AuthorizationRequest, session: Session): Promise<Record<string, string>> {
  const now = deps.clock();
  const code = randomToken(32);
  const grant: GrantDetails = {
    scope: request.scope,
    resource: request.resource,
    authTime: Math.floor(session.authenticatedAt / 1000),
    acr: acrFor(session.amr),
    amr: session.amr,
    sid: session.id,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    ...(request.client.riskPolicy?.risk_claim && session.risk
      ? { risk: { score: session.risk.score, decision: session.risk.decision, reasons: session.risk.reasons } }
      : {}),
  };
  const store = oauthGrantsStore(deps.db);
  const statements = [
    store.insertCodeStatement({
      codeHash: await sha256Hex(code),
      clientId: request.client.clientId,
      userId: session.userId,
      sessionId: session.id,
      redirectUri: request.redirectUri,
      grant: grant as unknown as Record<string, unknown>,
      createdAt: now,
      expiresAt: now + CODE_LIFETIME_MS,
    }),
    store.linkSessionClientStatement(session.id, request.client.clientId, session.userId, now),
  ];
  const requestUri = request.params.request_uri;
  if (requestUri?.startsWith(PAR_PREFIX)) statements.push(store.usePushedStatement(await sha256Hex(requestUri.slice(PAR_PREFIX.length)), now) as never);
  await deps.db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  return { code, ...(request.state !== null ? { state: request.state } : {}), iss: deps.config.issuerUrl };
}

/** Records the user's consent to the requested scopes (the consent page's POST). */
export async function grantConsent(deps: Deps, userId: string, request: AuthorizationRequest): Promise<void> {
  const store = oauthGrantsStore(deps.db);
  const existing = await store.findConsent(userId, request.client.clientId);
  const scopes = [...new Set([...(existing?.scopes.split(" ") ?? []), ...request.scope])].join(" ");
  await store.upsertConsentStatement(userId, request.client.clientId, scopes, deps.clock()).run();
}

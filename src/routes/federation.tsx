import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { strictSession } from "../middleware/session";
import { amrFor } from "../services/auth/methods";
import { completeFlow, startFlow } from "../services/federation/flow";
import { RESERVED_PROVIDER_IDS } from "../services/federation/identity-providers";
import { completePendingLink, describePendingLink, PENDING_LINK_LIFETIME_MS, resolveFederatedLogin } from "../services/federation/linking";
import { asUpstreamError } from "../services/federation/providers/oidc";
import type { IdentityProviderRow } from "../storage/federation-schema";
import { identityProvidersStore } from "../storage/identity-providers-store";
import { usersStore } from "../storage/users-store";
import type { MessageKey } from "../ui/i18n";
import { ErrorPage } from "../ui/pages/auth-pages";
import { ConfirmLinkPage, FederationErrorPage, ProveExistingPage } from "../ui/pages/federation-pages";
import { continueAfterFirstFactor, requireRecentLogin } from "./auth-flow";
import { pageContext, readForm, safeReturnPath } from "./page-helpers";

/**
 * Ties an authorization request to the browser that started it. `SameSite=None` because Apple answers
 * with a cross-site form_post, which would drop a Lax cookie; it carries only a random binding token.
 */
const BINDING_COOKIE = "__Host-gh_fed";
/** An identity waiting for its matching account's owner to log in (read on our own pages only: Lax). */
const PENDING_LINK_COOKIE = "__Host-gh_fedlink";
const PROVIDER_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

async function enabledProvider(c: Context<AppEnv>, id: string): Promise<IdentityProviderRow | null> {
  if (!PROVIDER_ID.test(id) || RESERVED_PROVIDER_IDS.has(id)) return null;
  const row = await identityProvidersStore(c.get("deps").db).find(id);
  return row?.enabled ? row : null;
}

function notFound(c: Context<AppEnv>): Response | Promise<Response> {
  c.status(404);
  return c.html(<ErrorPage page={pageContext(c)} status={404} requestId={c.get("requestId")} />);
}

function errorPage(c: Context<AppEnv>, status: 400 | 403 | 502, key: MessageKey, provider: string): Response | Promise<Response> {
  const page = pageContext(c);
  c.status(status);
  return c.html(<FederationErrorPage page={page} text={page.t(key, { provider })} />);
}

/** Sends the browser to the provider with a fresh state; a provider that cannot be reached gets a friendly page. */
async function redirectToProvider(c: Context<AppEnv>, provider: IdentityProviderRow, returnTo: string, linkUserId: string | null): Promise<Response> {
  try {
    const started = await startFlow(c.get("deps"), provider, { returnTo, linkUserId, binding: getCookie(c, BINDING_COOKIE) });
    setCookie(c, BINDING_COOKIE, started.binding, { path: "/", secure: true, httpOnly: true, sameSite: "None", maxAge: 3600 });
    return c.redirect(started.url.toString(), 303);
  } catch (error) {
    const upstream = asUpstreamError(error);
    await audit(c, provider.id, upstream.kind, upstream.message);
    return errorPage(c, 502, "federation.unavailable", provider.displayName);
  }
}

async function audit(c: Context<AppEnv>, providerId: string, reason: string, message?: string): Promise<void> {
  await c.get("deps").audit.record(
    {
      type: "federation.failed",
      outcome: "failure",
      actorType: "anonymous",
      details: { provider: providerId, reason, ...(message ? { message: message.slice(0, 200) } : {}) },
    },
    c.get("request"),
  );
}

/** The callback's parameters: the query of a GET, or the form Apple posts. */
async function callbackParameters(c: Context<AppEnv>): Promise<URLSearchParams> {
  if (c.req.method === "GET") return new URL(c.req.url).searchParams;
  return new URLSearchParams(await readForm(c));
}

const REFUSALS = {
  identity_taken: "federation.identityTaken",
  no_email: "federation.noEmail",
  account_disabled: "federation.accountDisabled",
  unverified_email: "federation.unverifiedEmail",
} as const;
const FAILURES = {
  bad_state: "federation.badState",
  denied: "federation.denied",
  unavailable: "federation.unavailable",
  rejected: "federation.rejected",
} as const;

async function callback(c: Context<AppEnv>): Promise<Response> {
  const provider = await enabledProvider(c, c.req.param("id") ?? "");
  if (!provider) return notFound(c);
  const deps = c.get("deps");
  const result = await completeFlow(deps, provider, await callbackParameters(c), getCookie(c, BINDING_COOKIE));
  if (!result.ok) {
    await audit(c, provider.id, result.reason, result.message);
    return errorPage(c, result.reason === "unavailable" ? 502 : 400, FAILURES[result.reason], provider.displayName);
  }
  // A link joins the account that asked for it (the state is bound to this browser), never another account
  // logged in here meanwhile. No session visible is fine: Apple's cross-site form_post carries no Lax cookie.
  const sessionUser = c.get("session")?.userId;
  if (result.flow.linkUserId && sessionUser && sessionUser !== result.flow.linkUserId) {
    await audit(c, provider.id, "link_session_changed");
    return errorPage(c, 400, "federation.badState", provider.displayName);
  }
  const outcome = await resolveFederatedLogin(deps, provider, result.profile, result.flow.linkUserId, c.get("request"));
  switch (outcome.kind) {
    case "login":
      await deps.audit.record(
        {
          type: "federation.login",
          outcome: "success",
          actorType: "user",
          actorId: outcome.user.id,
          userId: outcome.user.id,
          details: { provider: provider.id, created: outcome.created },
        },
        c.get("request"),
      );
      return continueAfterFirstFactor(c, { user: outcome.user, factor: "federated", amr: amrFor("federated"), returnTo: result.flow.returnTo });
    case "linked":
      return c.redirect("/account/identities?notice=linked", 303);
    case "prove_existing":
      setCookie(c, PENDING_LINK_COOKIE, outcome.pendingToken, {
        path: "/",
        secure: true,
        httpOnly: true,
        sameSite: "Lax",
        maxAge: PENDING_LINK_LIFETIME_MS / 1000,
      });
      return c.html(<ProveExistingPage page={pageContext(c)} email={outcome.email} provider={provider.displayName} />);
    case "refused":
      await audit(c, provider.id, outcome.reason);
      return errorPage(c, outcome.reason === "account_disabled" ? 403 : 400, REFUSALS[outcome.reason], provider.displayName);
  }
}

/** The pending link's provider name (it may have been renamed or deleted meanwhile). */
async function providerName(c: Context<AppEnv>, id: string): Promise<string> {
  return (await identityProvidersStore(c.get("deps").db).find(id))?.displayName ?? id;
}

export const federationRoutes = new Hono<AppEnv>()
  .post("/federation/:id/start", async (c) => {
    const form = await readForm(c);
    const provider = await enabledProvider(c, c.req.param("id"));
    if (!provider) return notFound(c);
    return redirectToProvider(c, provider, safeReturnPath(form.return_to, "/account"), null);
  })
  .post("/federation/:id/link", async (c) => {
    await readForm(c);
    const session = await strictSession(c);
    if (!session) return c.redirect("/login?return_to=/account/identities", 303);
    // Adding a way to log in is like adding a factor: it needs a recent login.
    const stale = requireRecentLogin(c, session);
    if (stale) return stale;
    const provider = await enabledProvider(c, c.req.param("id"));
    if (!provider) return notFound(c);
    return redirectToProvider(c, provider, "/account/identities", session.userId);
  })
  .get("/login/:id/callback", callback)
  .post("/login/:id/callback", callback)
  .get("/federation/link", async (c) => {
    const session = await strictSession(c);
    if (!session) return c.redirect("/login?return_to=/federation/link", 303);
    const token = getCookie(c, PENDING_LINK_COOKIE);
    const pending = token ? await describePendingLink(c.get("deps"), token, session.userId) : null;
    if (!pending) return errorPage(c, 400, "federation.linkExpired", "");
    return c.html(<ConfirmLinkPage page={pageContext(c)} provider={await providerName(c, pending.providerId)} email={pending.email ?? ""} />);
  })
  .post("/federation/link", async (c) => {
    await readForm(c);
    const session = await strictSession(c);
    if (!session) return c.redirect("/login?return_to=/federation/link", 303);
    const user = await usersStore(c.get("deps").db).findById(session.userId);
    const token = getCookie(c, PENDING_LINK_COOKIE);
    if (!user || !token) return errorPage(c, 400, "federation.linkExpired", "");
    const result = await completePendingLink(c.get("deps"), token, user, c.get("request"));
    if (result === "expired") return errorPage(c, 400, "federation.linkExpired", "");
    deleteCookie(c, PENDING_LINK_COOKIE, { path: "/", secure: true });
    if (result === "identity_taken") return errorPage(c, 400, "federation.identityTaken", "");
    return c.redirect("/account/identities?notice=linked", 303);
  });

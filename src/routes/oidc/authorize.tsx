import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { strictSession } from "../../middleware/session";
import {
  type AuthorizationRequest,
  parseAuthorizationRequest,
  type RedirectableError,
  UntrustedRedirectError,
} from "../../services/oidc/authorization-request";
import { decideAuthorization, grantConsent } from "../../services/oidc/authorize";
import { openInteraction, sealInteraction } from "../../services/oidc/interaction";
import { OAuthError } from "../../services/oidc/oauth-error";
import { askGuard } from "../../storage/guards";
import { AuthorizeErrorPage, ConsentPage, FormPostPage } from "../../ui/pages/oidc-pages";
import { startStepUp } from "../auth-flow";
import { pageContext, readForm, tooManyRequests } from "../page-helpers";

/** Authorization requests per source address per minute. */
export const AUTHORIZE_PER_IP_PER_MINUTE = 120;

/** Sends the authorization response (or error) to the proven redirect URI, with `iss` (RFC 9207). */
function respond(c: Context<AppEnv>, redirectUri: string, mode: "query" | "form_post", params: Record<string, string>) {
  if (mode === "form_post") {
    return c.html(<FormPostPage page={pageContext(c)} action={redirectUri} params={params} />);
  }
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.append(key, value);
  return c.redirect(url.toString(), 303);
}

function redirectError(c: Context<AppEnv>, failure: Omit<RedirectableError, "client">) {
  const params: Record<string, string> = { error: failure.error.code, error_description: failure.error.description, iss: c.get("config").issuerUrl };
  if (failure.state !== null) params.state = failure.state;
  return respond(c, failure.redirectUri, failure.responseMode, params);
}

function errorPage(c: Context<AppEnv>, error: string, expired = false) {
  c.status(400);
  return c.html(<AuthorizeErrorPage page={pageContext(c)} error={error} expired={expired} />);
}

/** Parses the request, from the URL or from a paused interaction; an error page or redirect when it is bad. */
async function loadRequest(
  c: Context<AppEnv>,
  raw: URLSearchParams,
): Promise<{ request: AuthorizationRequest; resume: { authAfter: number; consented: boolean } | null } | Response> {
  let params = raw;
  let resume: { authAfter: number; consented: boolean } | null = null;
  const sealed = raw.get("interaction");
  if (sealed !== null) {
    const interaction = await openInteraction(c.get("config").keyEncryptionKey, sealed, c.get("deps").clock());
    if (!interaction) return errorPage(c, "interaction_expired", true);
    params = new URLSearchParams(interaction.params);
    resume = { authAfter: interaction.authAfter, consented: interaction.consented ?? false };
  }
  try {
    const parsed = await parseAuthorizationRequest(c.get("deps"), params);
    if ("error" in parsed) return redirectError(c, parsed);
    return { request: parsed, resume };
  } catch (error) {
    if (error instanceof UntrustedRedirectError) return errorPage(c, error.code);
    throw error;
  }
}

async function authorize(c: Context<AppEnv>, raw: URLSearchParams) {
  const deps = c.get("deps");
  const limit = await askGuard(() => deps.guards.ip(c.get("request").ip).hit("authorize", AUTHORIZE_PER_IP_PER_MINUTE, 60, deps.clock()));
  if (!limit.allowed) {
    tooManyRequests(c, limit.retryAfterSeconds);
    return c.html(<AuthorizeErrorPage page={pageContext(c)} error="rate_limited" />);
  }
  const loaded = await loadRequest(c, raw);
  if (loaded instanceof Response) return loaded;
  const { request, resume } = loaded;
  try {
    const session = await strictSession(c);
    const decision = await decideAuthorization(deps, request, session, resume);
    if (decision.kind === "respond") return respond(c, request.redirectUri, request.responseMode, decision.params);
    const resumeAt = `/authorize?interaction=${decision.interaction}`;
    // decideAuthorization asks for a step-up only with a session.
    if (decision.kind === "step_up")
      return session ? startStepUp(c, session, resumeAt, decision.requiredAcr) : c.redirect(`/login?return_to=${encodeURIComponent(resumeAt)}`, 303);
    if (decision.kind === "consent") return c.redirect(`/consent?interaction=${decision.interaction}`, 303);
    if (decision.kind === "verify") return c.redirect(`/verify/required?interaction=${decision.interaction}`, 303);
    const next = new URLSearchParams({ return_to: resumeAt });
    if (decision.loginHint) next.set("login_hint", decision.loginHint);
    if (request.uiLocales) next.set("ui_locales", request.uiLocales);
    return c.redirect(`${decision.signup ? "/signup" : "/login"}?${next}`, 303);
  } catch (error) {
    if (error instanceof OAuthError)
      return redirectError(c, { error, redirectUri: request.redirectUri, state: request.state, responseMode: request.responseMode });
    throw error;
  }
}

/** GET and POST /authorize (OIDC Core §3.1.2.1: both must be supported). POST bodies come from other sites, so no CSRF token here. */
export const authorizeRoutes = new Hono<AppEnv>()
  .get("/authorize", (c) => authorize(c, new URL(c.req.url).searchParams))
  .post("/authorize", async (c) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim();
    if (type !== "application/x-www-form-urlencoded") return errorPage(c, "invalid_request");
    return authorize(c, new URLSearchParams(await c.req.text()));
  });

/** The consent page and its answer (our own form: CSRF-protected, mounted after the CSRF middleware). */
export const consentRoutes = new Hono<AppEnv>()
  .get("/consent", async (c) => {
    const loaded = await loadRequest(c, new URLSearchParams({ interaction: c.req.query("interaction") ?? "" }));
    if (loaded instanceof Response) return loaded;
    const session = await strictSession(c);
    if (!session) return c.redirect(`/authorize?interaction=${c.req.query("interaction")}`, 303);
    return c.html(
      <ConsentPage
        page={pageContext(c)}
        clientName={loaded.request.client.clientName}
        scopes={loaded.request.scope}
        interaction={c.req.query("interaction") ?? ""}
      />,
    );
  })
  .post("/consent", async (c) => {
    const form = await readForm(c);
    const loaded = await loadRequest(c, new URLSearchParams({ interaction: form.interaction ?? "" }));
    if (loaded instanceof Response) return loaded;
    const { request, resume } = loaded;
    const session = await strictSession(c);
    if (!session) return c.redirect(`/authorize?interaction=${form.interaction}`, 303);
    if (form.decision !== "allow") {
      return redirectError(c, {
        error: new OAuthError("access_denied", "the user denied the request"),
        redirectUri: request.redirectUri,
        state: request.state,
        responseMode: request.responseMode,
      });
    }
    await grantConsent(c.get("deps"), session.userId, request);
    const deps = c.get("deps");
    const sealed = await sealInteraction(
      deps.config.keyEncryptionKey,
      { params: request.params, authAfter: resume?.authAfter ?? 0, consented: true },
      deps.clock(),
    );
    return c.redirect(`/authorize?interaction=${sealed}`, 303);
  });

import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { clearSessionCookie } from "../../middleware/session";
import { verifyOwnJwt } from "../../services/oidc/jwt";
import { getKeyRing } from "../../services/oidc/keys";
import { endSession, resolvePostLogoutRedirect } from "../../services/oidc/logout";
import { deliveryQueues } from "../../storage/delivery-queues";
import { MessagePage } from "../../ui/pages/auth-pages";
import { LogoutConfirmPage } from "../../ui/pages/oidc-pages";
import { pageContext, readForm } from "../page-helpers";

/** RP-Initiated Logout 1.0 §2: the parameters we act on, with the ID token hint checked and reduced to its audience. */
async function logoutRequest(c: Context<AppEnv>, params: Record<string, string>) {
  const deps = c.get("deps");
  let idTokenAudience: string | null = null;
  let hintValid = true;
  if (params.id_token_hint) {
    const hint = await verifyOwnJwt(await getKeyRing(deps), params.id_token_hint, { issuer: deps.config.issuerUrl, ignoreExpiry: true, now: deps.clock() });
    hintValid = hint !== null && typeof hint.aud === "string";
    idTokenAudience = hintValid && hint ? (hint.aud as string) : null;
  }
  // A hint that is not one of our ID tokens means we cannot trust the request: no redirect at all.
  const target = hintValid
    ? await resolvePostLogoutRedirect(deps, { postLogoutRedirectUri: params.post_logout_redirect_uri, clientId: params.client_id, idTokenAudience })
    : null;
  return { target, state: params.state && /^[\x20-\x7E]{1,2048}$/.test(params.state) ? params.state : undefined };
}

function finish(c: Context<AppEnv>, target: { uri: string } | null, state: string | undefined) {
  if (target) {
    const url = new URL(target.uri);
    if (state) url.searchParams.append("state", state);
    return c.redirect(url.toString(), 303);
  }
  const page = pageContext(c);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("logout.title")}
      flash={{ kind: "success", text: page.t("logout.done") }}
      linkHref="/login"
      linkText={page.t("login.title")}
    />,
  );
}

async function rpInitiated(c: Context<AppEnv>, params: Record<string, string>) {
  const { target, state } = await logoutRequest(c, params);
  if (!c.get("session")) return finish(c, target, state);
  const fields: Record<string, string> = {};
  if (target) {
    fields.post_logout_redirect_uri = target.uri;
    fields.client_id = target.client.clientId;
  }
  if (state) fields.state = state;
  return c.html(<LogoutConfirmPage page={pageContext(c)} fields={fields} />);
}

/**
 * The end-session endpoint (GET, and POST from other sites). Our own pages' logout forms post to the
 * same path from our origin with a CSRF token: those fall through to the CSRF-protected handler.
 */
export const rpLogoutRoutes = new Hono<AppEnv>()
  .get("/logout", (c) => rpInitiated(c, Object.fromEntries(new URL(c.req.url).searchParams)))
  .post("/logout", async (c, next) => {
    if (c.req.header("origin") === c.get("config").issuerOrigin) return next();
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim();
    const params = type === "application/x-www-form-urlencoded" ? Object.fromEntries(new URLSearchParams(await c.req.text())) : {};
    return rpInitiated(c, params);
  });

/** The confirmation's POST (our form, CSRF-protected): end the session, notify clients, then leave. */
export const logoutConfirmRoutes = new Hono<AppEnv>().post("/logout/confirm", async (c) => {
  const form = await readForm(c);
  const session = c.get("session");
  if (session) await endSession(c.get("deps"), deliveryQueues(c.env.DELIVERY_QUEUE), session);
  clearSessionCookie(c);
  const target = await resolvePostLogoutRedirect(c.get("deps"), { postLogoutRedirectUri: form.post_logout_redirect_uri, clientId: form.client_id });
  return finish(c, target, form.state);
});

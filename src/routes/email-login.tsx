import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { brandForClient } from "../middleware/branding";
import { amrFor } from "../services/auth/methods";
import { requestLoginCode, verifyLoginCode } from "../services/email-login/email-code-login";
import { sendSecondFactorCode, verifySecondFactorCode } from "../services/email-login/email-second-factor";
import {
  confirmMagicLink,
  MAGIC_LINK_COOKIE,
  MAGIC_LINK_LIFETIME_MS,
  type MagicLinkLogin,
  redeemMagicLinkCode,
  requestMagicLink,
  viewMagicLink,
} from "../services/email-login/magic-links";
import type { UserRow } from "../storage/schema";
import { MessagePage } from "../ui/pages/auth-pages";
import {
  EmailCodeEnterPage,
  EmailCodeRequestPage,
  MagicLinkConfirmPage,
  MagicLinkOtherBrowserPage,
  MagicLinkRequestPage,
  MagicLinkWaitingPage,
} from "../ui/pages/email-login-pages";
import { continueAfterFirstFactor } from "./auth-flow";
import { showMfaStep } from "./mfa";
import { answerFactorCheck, pendingFor } from "./otp-factor-answer";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";

/** An email code or magic link proved the user: on to the MFA policy (which may still ask for a second factor). */
function loggedIn(c: Context<AppEnv>, user: UserRow, returnTo: string) {
  return continueAfterFirstFactor(c, { user, factor: "email", amr: amrFor("email"), returnTo: safeReturnPath(returnTo, "/account") });
}

function deadLink(c: Context<AppEnv>, key: "magicLink.invalid" | "magicLink.noRequest") {
  const page = pageContext(c);
  c.status(400);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("magicLink.title")}
      flash={{ kind: "error", text: page.t(key) }}
      linkHref="/login/link"
      linkText={page.t("magicLink.newLink")}
    />,
  );
}

/**
 * The code to type in the browser that asked for the link. This browser has no binding cookie to tell the
 * journey, so the page wears the branding of the app the link's row remembers.
 */
async function otherBrowser(c: Context<AppEnv>, code: string, clientId: string | null) {
  await brandForClient(c, clientId);
  return c.html(<MagicLinkOtherBrowserPage page={pageContext(c)} code={code} />);
}

/** Log in with an emailed code (`/login/code`). */
const emailCodeRoutes = new Hono<AppEnv>()
  .get("/login/code", (c) => {
    const returnTo = safeReturnPath(c.req.query("return_to"), "") || undefined;
    if (c.get("session") && !returnTo) return c.redirect("/account", 303);
    return c.html(<EmailCodeRequestPage page={pageContext(c)} email={c.req.query("login_hint")} returnTo={returnTo} />);
  })
  .post("/login/code", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    const result = await requestLoginCode(c.get("deps"), form.email, c.get("request"));
    if (result.ok) return c.html(<EmailCodeEnterPage page={page} email={result.email} returnTo={returnTo} />);
    if ("problem" in result) {
      c.status(400);
      return c.html(<EmailCodeRequestPage page={page} email={form.email} error={page.t("problem.email_invalid")} returnTo={returnTo} />);
    }
    tooManyRequests(c, result.retryAfterSeconds);
    const flash = { kind: "error" as const, text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) };
    return c.html(<EmailCodeRequestPage page={page} email={form.email} flash={flash} returnTo={returnTo} />);
  })
  .post("/login/code/verify", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "");
    const result = await verifyLoginCode(c.get("deps"), form.email, form.code, c.get("request"));
    if (result.outcome === "authenticated") return loggedIn(c, result.user, returnTo);
    if (result.outcome === "throttled") tooManyRequests(c, result.retryAfterSeconds);
    else c.status(400);
    const error = result.outcome === "throttled" ? page.t("login.throttled", { seconds: result.retryAfterSeconds }) : page.t("emailCode.invalid");
    return c.html(<EmailCodeEnterPage page={page} email={form.email ?? ""} error={error} returnTo={returnTo || undefined} />);
  });

/** Log in with an emailed link (`/login/link`), bound to the browser that asked for it. */
const magicLinkRoutes = new Hono<AppEnv>()
  .get("/login/link", (c) => {
    const returnTo = safeReturnPath(c.req.query("return_to"), "") || undefined;
    if (c.get("session") && !returnTo) return c.redirect("/account", 303);
    return c.html(<MagicLinkRequestPage page={pageContext(c)} email={c.req.query("login_hint")} returnTo={returnTo} />);
  })
  .post("/login/link", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    const result = await requestMagicLink(c.get("deps"), form.email, returnTo ?? "", c.get("request"));
    if (result.ok) {
      setCookie(c, MAGIC_LINK_COOKIE, result.cookie, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: MAGIC_LINK_LIFETIME_MS / 1000 });
      return c.html(<MagicLinkWaitingPage page={page} email={result.email} returnTo={returnTo} />);
    }
    if ("problem" in result) {
      c.status(400);
      return c.html(<MagicLinkRequestPage page={page} email={form.email} error={page.t("problem.email_invalid")} returnTo={returnTo} />);
    }
    tooManyRequests(c, result.retryAfterSeconds);
    const flash = { kind: "error" as const, text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) };
    return c.html(<MagicLinkRequestPage page={page} email={form.email} flash={flash} returnTo={returnTo} />);
  })
  .post("/login/link/confirm", async (c) => {
    const form = await readForm(c);
    return magicLinkAnswer(c, await confirmMagicLink(c.get("deps"), form.token ?? "", getCookie(c, MAGIC_LINK_COOKIE)), form.email ?? "");
  })
  .post("/login/link/code", async (c) => {
    const form = await readForm(c);
    const result = await redeemMagicLinkCode(c.get("deps"), getCookie(c, MAGIC_LINK_COOKIE), form.email, form.code, c.get("request"));
    if (result.outcome === "no_request") return deadLink(c, "magicLink.noRequest");
    return magicLinkAnswer(c, result, form.email ?? "");
  })
  // Opening the link only shows a page (mail scanners prefetch links): a button in the asking browser, the code elsewhere.
  .get("/login/link/:token", async (c) => {
    const token = c.req.param("token");
    const view = await viewMagicLink(c.get("deps"), token, getCookie(c, MAGIC_LINK_COOKIE));
    if (view.kind === "invalid") return deadLink(c, "magicLink.invalid");
    if (view.kind === "other_browser") return otherBrowser(c, view.code, view.clientId);
    return c.html(<MagicLinkConfirmPage page={pageContext(c)} email={view.email} token={token} />);
  });

function magicLinkAnswer(c: Context<AppEnv>, result: MagicLinkLogin, email: string) {
  const page = pageContext(c);
  switch (result.outcome) {
    case "authenticated":
      deleteCookie(c, MAGIC_LINK_COOKIE, { path: "/", secure: true });
      return loggedIn(c, result.user, result.returnTo);
    case "other_browser":
      return otherBrowser(c, result.code, result.clientId);
    case "invalid":
      return deadLink(c, "magicLink.invalid");
    case "throttled":
      tooManyRequests(c, result.retryAfterSeconds);
      return c.html(<MagicLinkWaitingPage page={page} email={email} error={page.t("login.throttled", { seconds: result.retryAfterSeconds })} />);
    default:
      c.status(400);
      return c.html(<MagicLinkWaitingPage page={page} email={email} error={page.t("magicLink.codeInvalid")} />);
  }
}

/** Email as the second factor: send a code, then check it. */
const emailSecondStepRoutes = new Hono<AppEnv>()
  .post("/login/mfa/email/send", async (c) => {
    await readForm(c);
    const found = await pendingFor(c, "email");
    if (found.response) return found.response;
    const sent = await sendSecondFactorCode(c.get("deps"), found.user, c.get("request"));
    if (sent.ok) return showMfaStep(c, found.pending, { method: "email" });
    tooManyRequests(c, sent.retryAfterSeconds);
    return showMfaStep(c, found.pending, { method: "email", error: c.get("t")("problem.rate_limited", { seconds: sent.retryAfterSeconds }), status: 429 });
  })
  .post("/login/mfa/email", async (c) => {
    const form = await readForm(c);
    const found = await pendingFor(c, "email");
    if (found.response) return found.response;
    const check = await verifySecondFactorCode(c.get("deps"), found.user.id, form.code, c.get("request"));
    return answerFactorCheck(c, found.pending, "email", check, c.get("t")("emailMfa.invalid"));
  });

export const emailLoginRoutes = new Hono<AppEnv>().route("/", emailCodeRoutes).route("/", magicLinkRoutes).route("/", emailSecondStepRoutes);

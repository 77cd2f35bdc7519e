import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { brandForClient } from "../middleware/branding";
import { MAGIC_LINK_COOKIE, MAGIC_LINK_LIFETIME_MS } from "../services/email-login/magic-links";
import { confirmSignupLink, redeemSignupLinkCode, verifySignupCode, viewSignupLink } from "../services/signup-methods/email-proof";
import { type EmailSignupMethod, startEmailSignup } from "../services/signup-methods/email-signup";
import { requestOfBrowser, SIGNUP_COOKIE } from "../services/signup-methods/signup-requests";
import {
  EmailSignupCodePage,
  EmailSignupPage,
  SignupLinkConfirmPage,
  SignupLinkOtherBrowserPage,
  SignupLinkWaitingPage,
} from "../ui/pages/signup-method-pages";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";
import { turnstileGate, turnstileWidgetFor } from "./risk-turnstile";
import { answerEmailProof, setSignupCookie, signupMessage } from "./signup-finish";

async function showForm(c: Context<AppEnv>, method: EmailSignupMethod) {
  const returnTo = safeReturnPath(c.req.query("return_to"), "");
  if (c.get("session") && !returnTo) return c.redirect("/account", 303);
  return c.html(<EmailSignupPage page={pageContext(c)} method={method} returnTo={returnTo || undefined} turnstile={await turnstileWidgetFor(c, "signup")} />);
}

/** Step 1 of both email sign-ups: the same answer (page and cookies) whether or not the address has an account. */
async function start(c: Context<AppEnv>, method: EmailSignupMethod) {
  const form = await readForm(c);
  const page = pageContext(c);
  const returnTo = safeReturnPath(form.return_to, "") || undefined;
  // A borderline source proves it is a person before anything is mailed (when Turnstile is configured).
  const turnstile = await turnstileGate(c, form, "signup");
  const again = { page, method, email: form.email, name: form.name, returnTo, turnstile: turnstile.widget };
  if (turnstile.problem) {
    c.status(400);
    return c.html(<EmailSignupPage {...again} flash={{ kind: "error", text: turnstile.problem }} />);
  }
  const result = await startEmailSignup(c.get("deps"), { method, email: form.email, name: form.name, returnTo: returnTo ?? null }, c.get("request"));
  if (result.ok) {
    setSignupCookie(c, result.cookie);
    if (result.magicCookie) {
      setCookie(c, MAGIC_LINK_COOKIE, result.magicCookie, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: MAGIC_LINK_LIFETIME_MS / 1000 });
    }
    if (method === "email_code") return c.html(<EmailSignupCodePage page={page} email={result.email} returnTo={returnTo} />);
    return c.html(
      <SignupLinkWaitingPage
        page={page}
        title={page.t("emailSignup.linkSentTitle")}
        text={page.t("emailSignup.linkSent", { email: result.email })}
        returnTo={returnTo}
      />,
    );
  }
  if ("retryAfterSeconds" in result) {
    tooManyRequests(c, result.retryAfterSeconds);
    return c.html(<EmailSignupPage {...again} flash={{ kind: "error", text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) }} />);
  }
  c.status(400);
  return c.html(<EmailSignupPage {...again} errors={result.errors} flash={{ kind: "error", text: page.t("common.errorSummary") }} />);
}

/** The page a typed code came from, again with its error (the request's address and journey come from its row). */
async function codePageAgain(c: Context<AppEnv>, kind: "code" | "link", error: string) {
  const page = pageContext(c);
  const row = await requestOfBrowser(c.get("deps"), getCookie(c, SIGNUP_COOKIE));
  const email = row?.email ?? "";
  const returnTo = row?.returnTo ?? undefined;
  if (kind === "code") return c.html(<EmailSignupCodePage page={page} email={email} error={error} returnTo={returnTo} />);
  const text = row?.method === "sms" ? page.t("sms.signup.verified", { email }) : page.t("emailSignup.linkSent", { email });
  return c.html(<SignupLinkWaitingPage page={page} title={page.t("emailSignup.linkSentTitle")} text={text} error={error} returnTo={returnTo} />);
}

/**
 * Passwordless sign-up by email: `/signup/code` (a 6-digit code) and `/signup/link` (a link bound to this
 * browser, whose code works here when it is opened elsewhere). The link's page never uses it up on GET.
 */
export const signupEmailRoutes = new Hono<AppEnv>()
  .get("/signup/code", (c) => showForm(c, "email_code"))
  .post("/signup/code", (c) => start(c, "email_code"))
  .post("/signup/code/verify", async (c) => {
    const form = await readForm(c);
    const result = await verifySignupCode(c.get("deps"), getCookie(c, SIGNUP_COOKIE), form.code, c.get("request"));
    return answerEmailProof(c, result, (error) => codePageAgain(c, "code", error));
  })
  .get("/signup/link", (c) => showForm(c, "magic_link"))
  .post("/signup/link", (c) => start(c, "magic_link"))
  .post("/signup/link/confirm", async (c) => {
    const form = await readForm(c);
    const result = await confirmSignupLink(c.get("deps"), form.token ?? "", getCookie(c, SIGNUP_COOKIE), c.get("request"));
    return answerEmailProof(c, result, (error) => codePageAgain(c, "link", error));
  })
  .post("/signup/link/code", async (c) => {
    const form = await readForm(c);
    const cookies = { signup: getCookie(c, SIGNUP_COOKIE), magic: getCookie(c, MAGIC_LINK_COOKIE) };
    const result = await redeemSignupLinkCode(c.get("deps"), cookies, form.code, c.get("request"));
    return answerEmailProof(c, result, (error) => codePageAgain(c, "link", error));
  })
  // Opening the link only shows a page (mail scanners prefetch links): a button in the browser that signed up, the code elsewhere.
  .get("/signup/link/:token", async (c) => {
    const token = c.req.param("token");
    const view = await viewSignupLink(c.get("deps"), token, getCookie(c, SIGNUP_COOKIE));
    if (view.kind === "invalid") return signupMessage(c, "emailSignup.invalid");
    await brandForClient(c, view.clientId);
    if (view.kind === "other_browser") return c.html(<SignupLinkOtherBrowserPage page={pageContext(c)} code={view.code} />);
    return c.html(<SignupLinkConfirmPage page={pageContext(c)} email={view.email} token={token} />);
  });

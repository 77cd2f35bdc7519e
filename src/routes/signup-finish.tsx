import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { amrFor } from "../services/auth/methods";
import { MAGIC_LINK_COOKIE } from "../services/email-login/magic-links";
import type { EmailProofResult } from "../services/signup-methods/email-proof";
import { SIGNUP_COOKIE, SIGNUP_COOKIE_MAX_AGE_SECONDS } from "../services/signup-methods/signup-requests";
import type { MessageKey } from "../ui/i18n";
import { MessagePage } from "../ui/pages/auth-pages";
import { SignupLinkOtherBrowserPage } from "../ui/pages/signup-method-pages";
import { continueAfterFirstFactor } from "./auth-flow";
import { pageContext, safeReturnPath, tooManyRequests } from "./page-helpers";

/** Binds the sign-up just started to this browser (the links and codes work only here). */
export function setSignupCookie(c: Context<AppEnv>, value: string): void {
  setCookie(c, SIGNUP_COOKIE, value, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: SIGNUP_COOKIE_MAX_AGE_SECONDS });
}

/** A page with one message and the way back to the sign-up page (dead link, no sign-up waiting) or to log in. */
export function signupMessage(c: Context<AppEnv>, key: MessageKey, status: 400 | 409 = 400, toLogin = false) {
  const page = pageContext(c);
  c.status(status);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("signup.title")}
      flash={{ kind: "error", text: page.t(key) }}
      linkHref={toLogin ? "/login" : "/signup"}
      linkText={page.t(toLogin ? "signup.login" : "emailSignup.restart")}
    />,
  );
}

/**
 * Where a proof of the address leads. A new account (or, for an address that had one, its owner) goes
 * through `continueAfterFirstFactor` like every first factor: risk, MFA policy, session, back to `return_to`.
 * `again` re-renders the page the code was typed on, with its error.
 */
export function answerEmailProof(c: Context<AppEnv>, result: EmailProofResult, again: (error: string) => Response | Promise<Response>) {
  const t = c.get("t");
  switch (result.outcome) {
    case "created":
    case "login": {
      deleteCookie(c, SIGNUP_COOKIE, { path: "/", secure: true });
      deleteCookie(c, MAGIC_LINK_COOKIE, { path: "/", secure: true });
      const amr = result.outcome === "created" ? result.amr : amrFor("email");
      return continueAfterFirstFactor(c, { user: result.user, factor: "email", amr, returnTo: safeReturnPath(result.returnTo ?? undefined, "/account") });
    }
    case "other_browser":
      return c.html(<SignupLinkOtherBrowserPage page={pageContext(c)} code={result.code} />);
    case "taken":
      return signupMessage(c, "emailSignup.taken", 409, true);
    case "invalid":
      return signupMessage(c, "emailSignup.invalid");
    case "no_request":
      return signupMessage(c, "emailSignup.noRequest");
    case "throttled":
      tooManyRequests(c, result.retryAfterSeconds);
      return again(t("login.throttled", { seconds: result.retryAfterSeconds }));
    default:
      c.status(400);
      return again(t("emailSignup.codeInvalid"));
  }
}

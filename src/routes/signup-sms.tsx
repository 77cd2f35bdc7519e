import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { requestOfBrowser, SIGNUP_COOKIE } from "../services/signup-methods/signup-requests";
import { startSmsSignup, verifySmsSignupCode } from "../services/signup-methods/sms-signup";
import { formatPhone } from "../services/sms/phone-numbers";
import { SignupLinkWaitingPage, SmsSignupCodePage, SmsSignupPage } from "../ui/pages/signup-method-pages";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";
import { turnstileGate, turnstileWidgetFor } from "./risk-turnstile";
import { setSignupCookie, signupMessage } from "./signup-finish";
import { NUMBER_PROBLEMS } from "./sms/login";

function codePage(c: Context<AppEnv>, phone: string, returnTo: string | undefined, error?: string) {
  return c.html(<SmsSignupCodePage page={pageContext(c)} shownPhone={formatPhone(phone)} returnTo={returnTo} error={error} />);
}

/**
 * Sign-up with a mobile number (`/signup/sms`): the texted code proves the phone, then an emailed link (or
 * its code) proves the address and creates the account. Every answer is the same whether or not the address
 * or the number is taken; see services/signup-methods/sms-signup.ts.
 */
export const signupSmsRoutes = new Hono<AppEnv>()
  .get("/signup/sms", async (c) => {
    const returnTo = safeReturnPath(c.req.query("return_to"), "");
    if (c.get("session") && !returnTo) return c.redirect("/account", 303);
    const page = pageContext(c);
    const off = c.get("config").sms.enabled ? undefined : { kind: "error" as const, text: page.t(NUMBER_PROBLEMS.disabled) };
    return c.html(<SmsSignupPage page={page} returnTo={returnTo || undefined} flash={off} turnstile={await turnstileWidgetFor(c, "signup")} />);
  })
  .post("/signup/sms", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    // A borderline source proves it is a person before a text is paid for (when Turnstile is configured).
    const turnstile = await turnstileGate(c, form, "signup");
    const again = { page, email: form.email, phone: form.phone, name: form.name, returnTo, turnstile: turnstile.widget };
    if (turnstile.problem) {
      c.status(400);
      return c.html(<SmsSignupPage {...again} flash={{ kind: "error", text: turnstile.problem }} />);
    }
    const result = await startSmsSignup(c.get("deps"), { email: form.email, phone: form.phone, name: form.name, returnTo: returnTo ?? null }, c.get("request"));
    if (result.ok) {
      setSignupCookie(c, result.cookie);
      return codePage(c, result.phone.e164, returnTo);
    }
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return c.html(<SmsSignupPage {...again} flash={{ kind: "error", text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) }} />);
    }
    c.status(400);
    const phoneError = result.phoneProblem ? page.t(NUMBER_PROBLEMS[result.phoneProblem]) : undefined;
    return c.html(<SmsSignupPage {...again} errors={result.errors} phoneError={phoneError} flash={{ kind: "error", text: page.t("common.errorSummary") }} />);
  })
  .post("/signup/sms/verify", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const cookie = getCookie(c, SIGNUP_COOKIE);
    const result = await verifySmsSignupCode(c.get("deps"), cookie, form.code, c.get("request"));
    if (result.outcome === "no_request") return signupMessage(c, "emailSignup.noRequest");
    const returnTo = (await requestOfBrowser(c.get("deps"), cookie))?.returnTo ?? undefined;
    if (result.outcome === "verified") {
      const text = page.t("sms.signup.verified", { email: result.email });
      return c.html(<SignupLinkWaitingPage page={page} title={page.t("sms.signup.verifiedTitle")} text={text} returnTo={returnTo} />);
    }
    if (result.outcome === "throttled") {
      tooManyRequests(c, result.retryAfterSeconds);
      return codePage(c, result.phone, returnTo, page.t("login.throttled", { seconds: result.retryAfterSeconds }));
    }
    c.status(400);
    return codePage(c, result.phone, returnTo, page.t("sms.signup.codeInvalid"));
  });

import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { amrFor } from "../../services/auth/methods";
import { formatPhone, type NumberProblem, parseMobileNumber } from "../../services/sms/phone-numbers";
import { requestSmsLogin, verifySmsLogin } from "../../services/sms/sms-login";
import type { MessageKey } from "../../ui/i18n";
import { SmsCodePage, SmsLoginPage } from "../../ui/pages/sms-login-pages";
import { continueAfterFirstFactor, pendingLogin } from "../auth-flow";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "../page-helpers";

export const NUMBER_PROBLEMS: Record<NumberProblem, MessageKey> = {
  disabled: "sms.problem.disabled",
  invalid_number: "sms.problem.invalidNumber",
  country_not_allowed: "sms.problem.countryNotAllowed",
};

/** The code page for the number in the form (as typed when it does not parse: the service refuses it anyway). */
function codePage(
  c: Context<AppEnv>,
  phoneInput: string,
  returnTo: string | undefined,
  extra: { error?: string; flash?: { kind: "info" | "error"; text: string } },
) {
  const phone = parseMobileNumber(phoneInput);
  return c.html(
    <SmsCodePage
      page={pageContext(c)}
      phone={phone?.e164 ?? phoneInput}
      shownPhone={phone ? formatPhone(phone.e164) : phoneInput}
      returnTo={returnTo}
      {...extra}
    />,
  );
}

/** Logging in with a texted code (a first factor): `/login/sms`, then `/login/sms/verify`. */
export const smsLoginRoutes = new Hono<AppEnv>()
  .get("/login/sms", async (c) => {
    const returnTo = safeReturnPath(c.req.query("return_to"), "");
    // As on /login: a session goes to its account unless a paused request wants a fresh login,
    // and a login waiting for its second factor goes back to that factor.
    if (c.get("session") && !returnTo) return c.redirect("/account", 303);
    if (!c.get("session") && (await pendingLogin(c))) return c.redirect("/login/mfa", 303);
    return c.html(<SmsLoginPage page={pageContext(c)} returnTo={returnTo || undefined} />);
  })
  .post("/login/sms", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    const result = await requestSmsLogin(c.get("deps"), { phone: form.phone }, c.get("request"));
    switch (result.outcome) {
      case "sent":
        return codePage(c, result.phone.e164, returnTo, form.resend ? { flash: { kind: "info", text: page.t("sms.code.resent") } } : {});
      case "throttled": {
        tooManyRequests(c, result.retryAfterSeconds);
        const flash = { kind: "error" as const, text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) };
        if (form.resend) return codePage(c, form.phone ?? "", returnTo, { flash });
        return c.html(<SmsLoginPage page={page} phone={form.phone} returnTo={returnTo} flash={flash} />);
      }
      default:
        c.status(400);
        return c.html(<SmsLoginPage page={page} phone={form.phone} returnTo={returnTo} error={page.t(NUMBER_PROBLEMS[result.problem])} />);
    }
  })
  .post("/login/sms/verify", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    const result = await verifySmsLogin(c.get("deps"), { phone: form.phone, code: form.code }, c.get("request"));
    switch (result.outcome) {
      case "success":
        return continueAfterFirstFactor(c, { user: result.user, factor: "sms", amr: amrFor("sms"), returnTo: returnTo ?? "/account" });
      case "throttled":
        tooManyRequests(c, result.retryAfterSeconds);
        return codePage(c, form.phone ?? "", returnTo, { flash: { kind: "error", text: page.t("login.throttled", { seconds: result.retryAfterSeconds }) } });
      default:
        c.status(401);
        return codePage(c, form.phone ?? "", returnTo, { error: page.t("sms.problem.codeInvalid") });
    }
  });

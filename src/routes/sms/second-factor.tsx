import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { amrFor } from "../../services/auth/methods";
import type { PendingLogin } from "../../services/auth/pending-login";
import { sendSecondFactorCode, verifySecondFactorCode } from "../../services/sms/sms-second-factor";
import { usersStore } from "../../storage/users-store";
import { SmsSecondFactorPage } from "../../ui/pages/sms-second-factor-page";
import { completeSecondFactor, pendingLogin, secondFactorReaches } from "../auth-flow";
import { showMfaStep } from "../mfa";
import { pageContext, readForm, tooManyRequests } from "../page-helpers";

/**
 * The login this form belongs to, if SMS may finish it: a pending login in this browser (else back to
 * /login), the form's own (an old tab cannot complete a newer login), not proven by SMS already, and
 * SMS reaching the level the app asked for. Otherwise the answer that sends the browser on.
 */
async function smsPending(c: Context<AppEnv>, form: Record<string, string>): Promise<PendingLogin | Response> {
  const pending = await pendingLogin(c);
  if (!pending) return c.redirect("/login?notice=mfa_expired", 303);
  if (form.pending_id !== pending.id || pending.factors.includes("sms") || !secondFactorReaches(pending, "sms", amrFor("sms"))) {
    return c.redirect("/login/mfa", 303);
  }
  return pending;
}

/** SMS as a second factor: text a code to the verified number, then check it. */
export const smsSecondFactorRoutes = new Hono<AppEnv>()
  // The SMS step on its own page (the chooser at /login/mfa shows the same panel among the others).
  .get("/login/mfa/sms", async (c) => {
    const pending = await pendingLogin(c);
    if (!pending) return c.redirect("/login?notice=mfa_expired", 303);
    const usable = await smsPending(c, { pending_id: pending.id });
    if (usable instanceof Response) return usable;
    const user = await usersStore(c.get("deps").db).findById(pending.userId);
    if (!user?.phone || !user.phoneVerified) return c.redirect("/login/mfa", 303);
    return c.html(<SmsSecondFactorPage page={pageContext(c)} pending={pending} />);
  })
  .post("/login/mfa/sms/send", async (c) => {
    const form = await readForm(c);
    const pending = await smsPending(c, form);
    if (pending instanceof Response) return pending;
    const result = await sendSecondFactorCode(c.get("deps"), pending.userId, c.get("request"));
    const t = c.get("t");
    switch (result.outcome) {
      case "sent":
        return c.html(<SmsSecondFactorPage page={pageContext(c)} pending={pending} sentTo={result.masked} />);
      case "throttled":
        tooManyRequests(c, result.retryAfterSeconds);
        return showMfaStep(c, pending, { method: "sms", error: t("mfa.throttled", { seconds: result.retryAfterSeconds }), status: 429 });
      default:
        return showMfaStep(c, pending, { method: "sms", error: t("sms.mfa.unavailable"), status: 400 });
    }
  })
  .post("/login/mfa/sms", async (c) => {
    const form = await readForm(c);
    const pending = await smsPending(c, form);
    if (pending instanceof Response) return pending;
    const result = await verifySecondFactorCode(c.get("deps"), pending.userId, form.code, c.get("request"));
    const t = c.get("t");
    switch (result.outcome) {
      case "verified":
        return completeSecondFactor(c, pending, { factor: "sms", amr: amrFor("sms") });
      case "throttled":
        tooManyRequests(c, result.retryAfterSeconds);
        return showMfaStep(c, pending, { method: "sms", error: t("mfa.throttled", { seconds: result.retryAfterSeconds }), status: 429 });
      default:
        return showMfaStep(c, pending, { method: "sms", error: t("sms.problem.codeInvalid"), status: 401 });
    }
  });

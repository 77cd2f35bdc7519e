import { type Context, Hono } from "hono";
import { formatPhone } from "../../services/sms/phone-numbers";
import { confirmPhoneVerification, type PhoneProblem, pendingPhone, removeUserPhone, startPhoneVerification } from "../../services/sms/phone-verification";
import type { MessageKey } from "../../ui/i18n";
import { PhonePage, type PhonePageProps } from "../../ui/pages/phone-page";
import { type AccountEnv, requireAccount } from "../account-guard";
import { requireRecentLogin } from "../auth-flow";
import { pageContext, readForm, tooManyRequests } from "../page-helpers";
import { NUMBER_PROBLEMS } from "./login";

/** Notices after a redirect (`/account/phone?notice=…`). */
const PHONE_NOTICES: Record<string, MessageKey> = {
  code_sent: "sms.account.codeSent",
  verified: "sms.account.verified.notice",
  removed: "sms.account.removed",
};

const PHONE_PROBLEMS: Record<PhoneProblem, MessageKey> = { ...NUMBER_PROBLEMS, same_number: "sms.account.sameNumber" };

async function renderPhonePage(c: Context<AccountEnv>, extra: Partial<PhonePageProps> = {}) {
  const page = pageContext(c);
  const user = c.get("user");
  const pending = await pendingPhone(c.get("deps"), user.id);
  const notice = PHONE_NOTICES[c.req.query("notice") ?? ""];
  return c.html(
    <PhonePage
      page={page}
      verifiedPhone={user.phone && user.phoneVerified ? formatPhone(user.phone) : null}
      pending={pending ? { e164: pending, shown: formatPhone(pending) } : null}
      flash={notice ? { kind: "success", text: page.t(notice) } : null}
      {...extra}
    />,
  );
}

/** Null when the session's login is recent enough to take a way to log in away; else the redirect to log in again. */
function recentLogin(c: Context<AccountEnv>): Response | null {
  return requireRecentLogin(c, c.get("strict"));
}

/** Replacing a verified number takes the old one away: that needs a recent login too. Adding a first one does not. */
function recentLoginForChange(c: Context<AccountEnv>): Response | null {
  const user = c.get("user");
  return user.phone && user.phoneVerified ? recentLogin(c) : null;
}

/** `/account/phone`: add, change (confirmed by a texted code) or remove the account's mobile number. */
export const phoneAccountRoutes = new Hono<AccountEnv>()
  // app.ts mounts these before the account routes, so their gate is installed here too.
  .use("/account/phone", requireAccount)
  .use("/account/phone/*", requireAccount)
  .get("/account/phone", (c) => renderPhonePage(c))
  .post("/account/phone", async (c) => {
    const form = await readForm(c);
    const reauth = recentLoginForChange(c);
    if (reauth) return reauth;
    const result = await startPhoneVerification(c.get("deps"), c.get("user"), { phone: form.phone }, c.get("request"));
    if (result.ok) return c.redirect("/account/phone?notice=code_sent", 303);
    const t = c.get("t");
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return renderPhonePage(c, { phoneValue: form.phone, flash: { kind: "error", text: t("problem.rate_limited", { seconds: result.retryAfterSeconds }) } });
    }
    c.status(400);
    return renderPhonePage(c, { phoneValue: form.phone, phoneError: t(PHONE_PROBLEMS[result.problem]) });
  })
  .post("/account/phone/verify", async (c) => {
    const form = await readForm(c);
    const reauth = recentLoginForChange(c);
    if (reauth) return reauth;
    const result = await confirmPhoneVerification(c.get("deps"), c.get("user"), form.code, c.get("request"));
    if (result.ok) return c.redirect("/account/phone?notice=verified", 303);
    const t = c.get("t");
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return renderPhonePage(c, { flash: { kind: "error", text: t("mfa.throttled", { seconds: result.retryAfterSeconds }) } });
    }
    c.status(400);
    return renderPhonePage(c, { codeError: t("sms.problem.codeInvalid") });
  })
  .post("/account/phone/remove", async (c) => {
    await readForm(c);
    const reauth = recentLogin(c);
    if (reauth) return reauth;
    await removeUserPhone(c.get("deps"), c.get("user"), c.get("request"));
    return c.redirect("/account/phone?notice=removed", 303);
  });

import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { strictSession } from "../middleware/session";
import { verificationNeeded } from "../services/branding/required-verification";
import { formatPhone } from "../services/sms/phone-numbers";
import { confirmPhoneVerification, type PhoneProblem, pendingPhone, startPhoneVerification } from "../services/sms/phone-verification";
import type { UserRow } from "../storage/schema";
import { usersStore } from "../storage/users-store";
import type { MessageKey } from "../ui/i18n";
import { VerifyPhonePage, type VerifyPhonePageProps } from "../ui/pages/verify-phone-page";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";
import { NUMBER_PROBLEMS } from "./sms/login";

const PROBLEMS: Record<PhoneProblem, MessageKey> = { ...NUMBER_PROBLEMS, same_number: "sms.account.sameNumber" };

/** The path of this step, continuing at `returnTo` (what the sign-up and /verify/required pages link to). */
export function verifyPhonePath(returnTo: string): string {
  return `/verify/phone?${new URLSearchParams({ return_to: returnTo })}`;
}

type Step = { user: UserRow; returnTo: string; requiredBy: string | null };

/**
 * The signed-in user of this step and where it continues; otherwise the redirect that sorts it out: no
 * session → log in first (and come back), a number verified already → on to `returnTo`. This step only
 * adds a first number: changing a verified one takes the old one away and needs a recent login
 * (`/account/phone`).
 */
async function load(c: Context<AppEnv>, rawReturnTo: string | undefined): Promise<Step | Response> {
  const returnTo = safeReturnPath(rawReturnTo, "/account");
  const session = await strictSession(c);
  if (!session) return c.redirect(`/login?${new URLSearchParams({ return_to: verifyPhonePath(returnTo) })}`, 303);
  const user = await usersStore(c.get("deps").db).findById(session.userId);
  if (!user) return c.redirect("/login", 303);
  if (user.phone && user.phoneVerified) return c.redirect(returnTo, 303);
  return { user, returnTo, requiredBy: await requiringApp(c, returnTo, user.id) };
}

/** The app of a paused authorization request that requires a verified phone (no "Not now" then). */
async function requiringApp(c: Context<AppEnv>, returnTo: string, userId: string): Promise<string | null> {
  if (!returnTo.startsWith("/authorize?")) return null;
  const interaction = new URLSearchParams(returnTo.slice("/authorize?".length)).get("interaction");
  if (!interaction) return null;
  const needed = await verificationNeeded(c.get("deps"), interaction, userId);
  return needed?.missing.includes("phone") ? needed.clientName : null;
}

async function render(c: Context<AppEnv>, step: Step, extra: Partial<VerifyPhonePageProps> = {}) {
  const pending = await pendingPhone(c.get("deps"), step.user.id);
  return c.html(
    <VerifyPhonePage
      page={pageContext(c)}
      returnTo={step.returnTo}
      requiredBy={step.requiredBy}
      pending={pending ? { e164: pending, shown: formatPhone(pending) } : null}
      {...extra}
    />,
  );
}

/**
 * `/verify/phone`: a mobile number verified by SMS code as a step of a journey (offered after sign-up,
 * and the phone step of apps that require a verified phone). The code goes through the SMS provider
 * interface with the per-number, per-country and per-source limits of every text, and its attempts count
 * in the account's factor backoff (services/sms/phone-verification.ts).
 */
export const verifyPhoneRoutes = new Hono<AppEnv>()
  .get("/verify/phone", async (c) => {
    const step = await load(c, c.req.query("return_to"));
    return step instanceof Response ? step : render(c, step);
  })
  .post("/verify/phone", async (c) => {
    const form = await readForm(c);
    const step = await load(c, form.return_to);
    if (step instanceof Response) return step;
    const t = c.get("t");
    const result = await startPhoneVerification(c.get("deps"), step.user, { phone: form.phone }, c.get("request"));
    if (result.ok) return render(c, step);
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return render(c, step, { phoneValue: form.phone, flash: { kind: "error", text: t("problem.rate_limited", { seconds: result.retryAfterSeconds }) } });
    }
    c.status(400);
    return render(c, step, { phoneValue: form.phone, phoneError: t(PROBLEMS[result.problem]) });
  })
  .post("/verify/phone/confirm", async (c) => {
    const form = await readForm(c);
    const step = await load(c, form.return_to);
    if (step instanceof Response) return step;
    const result = await confirmPhoneVerification(c.get("deps"), step.user, form.code, c.get("request"));
    if (result.ok) return c.redirect(step.returnTo, 303);
    const t = c.get("t");
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return render(c, step, { flash: { kind: "error", text: t("mfa.throttled", { seconds: result.retryAfterSeconds }) } });
    }
    c.status(400);
    return render(c, step, { codeError: t("sms.problem.codeInvalid") });
  });

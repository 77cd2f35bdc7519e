import { maskEmail } from "../../lib/email";
import { oneTimeCodesStore } from "../../storage/one-time-codes-store";
import type { UserRow } from "../../storage/schema";
import { isLocale } from "../../ui/i18n";
import { checkFactorAttempt, recordFactorFailure } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { FactorCheck } from "../totp/totp-login";
import { EMAIL_CODE_LIFETIME_MS } from "./email-code-login";
import { secondFactorCodeEmail } from "./login-emails";
import { issueOneTimeCode, redeemOneTimeCode } from "./one-time-codes";
import { accountMaySend, ipSendLimit } from "./send-limits";

/**
 * Mails a code to confirm a login whose first factor (a password) is done. The user is known here, so
 * the caps can answer directly. A new code supersedes the previous one; the failure count does not reset.
 */
export async function sendSecondFactorCode(
  deps: Deps,
  user: UserRow,
  request: RequestContext,
): Promise<{ ok: true; sentTo: string } | { ok: false; retryAfterSeconds: number }> {
  const wait = await ipSendLimit(deps, request);
  if (wait !== null) return { ok: false, retryAfterSeconds: wait };
  if (!(await accountMaySend(deps, user.id))) {
    await deps.audit.record(
      { type: "mfa.email_send_capped", outcome: "failure", actorType: "user", userId: user.id, details: { purpose: "second_factor" } },
      request,
    );
    return { ok: false, retryAfterSeconds: 3600 };
  }
  const issued = await issueOneTimeCode(deps, {
    userId: user.id,
    channel: "email",
    purpose: "second_factor",
    destination: user.email,
    lifetimeMs: EMAIL_CODE_LIFETIME_MS,
  });
  await deps.db.batch([...issued.statements]);
  deps.defer(
    deps.sender.send(
      secondFactorCodeEmail(user.email, isLocale(user.locale) ? user.locale : request.locale, issued.code, EMAIL_CODE_LIFETIME_MS, request.theme),
    ),
  );
  return { ok: true, sentTo: maskEmail(user.email) };
}

/** Checks the emailed second-factor code: five tries per code, and every failure counted in the user's guard. */
export async function verifySecondFactorCode(deps: Deps, userId: string, code: unknown, request: RequestContext): Promise<FactorCheck> {
  const gate = await checkFactorAttempt(deps, userId);
  if (!gate.allowed) return { outcome: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const open = await oneTimeCodesStore(deps.db).findLatestOpen(userId, "email", "second_factor", deps.clock());
  const redeemed = open && typeof code === "string" ? await redeemOneTimeCode(deps, open, code) : null;
  if (redeemed) return { outcome: "verified" };
  await recordFactorFailure(deps, userId, "email", request);
  return { outcome: "failed" };
}

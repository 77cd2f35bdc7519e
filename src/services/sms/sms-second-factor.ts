import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import { isLocale } from "../../ui/i18n";
import { checkFactorAttempt, recordFactorFailure } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { maskPhone, type PhoneNumber, textableNumber } from "./phone-numbers";
import { allowSmsSend } from "./send-limits";
import { issueSmsCode, redeemSmsCode } from "./sms-codes";
import { smsCodeMessage } from "./sms-texts";

export type SecondFactorSend = { outcome: "sent"; masked: string } | { outcome: "unavailable" } | { outcome: "throttled"; retryAfterSeconds: number };
export type SecondFactorCheck = { outcome: "verified"; user: UserRow } | { outcome: "failed" } | { outcome: "throttled"; retryAfterSeconds: number };

/** The user's verified number, if SMS is on and its country is (still) allowed. */
function verifiedNumber(deps: Pick<Deps, "config">, user: UserRow): PhoneNumber | null {
  if (!user.phone || !user.phoneVerified) return null;
  const textable = textableNumber(deps.config.sms, user.phone);
  return "phone" in textable ? textable.phone : null;
}

/**
 * Texts a second-factor code to the verified number of a user whose first factor is proven (a pending
 * login). The account's factor backoff and the send limits apply before anything is sent.
 */
export async function sendSecondFactorCode(deps: Deps, userId: string, request: RequestContext): Promise<SecondFactorSend> {
  const user = await usersStore(deps.db).findById(userId);
  const phone = user && user.status === "active" ? verifiedNumber(deps, user) : null;
  if (!user || !phone) return { outcome: "unavailable" };
  const attempt = await checkFactorAttempt(deps, user.id);
  if (!attempt.allowed) return { outcome: "throttled", retryAfterSeconds: attempt.retryAfterSeconds };
  const limit = await allowSmsSend(deps, phone, request);
  if (!limit.allowed) return { outcome: "throttled", retryAfterSeconds: limit.retryAfterSeconds };
  const e164 = phone.e164;
  const code = await issueSmsCode(deps, user.id, "second_factor", e164);
  const locale = isLocale(user.locale) ? user.locale : request.locale;
  // Awaited: the user already proved a first factor, so a provider failure may show (no false "sent").
  await deps.sender.send(smsCodeMessage({ to: e164, code, purpose: "second_factor", locale, issuerUrl: deps.config.issuerUrl }));
  await deps.audit.record(
    {
      type: "mfa.sms_sent",
      outcome: "success",
      actorType: "user",
      actorId: user.id,
      userId: user.id,
      details: { purpose: "second_factor", country: phone.callingCode },
    },
    request,
  );
  return { outcome: "sent", masked: maskPhone(e164) };
}

/**
 * Checks a second-factor code. Every wrong code counts twice: against the code (five tries, then it
 * dies) and against the account in its `UserGuard` (backoff across codes and resends).
 */
export async function verifySecondFactorCode(deps: Deps, userId: string, code: unknown, request: RequestContext): Promise<SecondFactorCheck> {
  const user = await usersStore(deps.db).findById(userId);
  if (user?.status !== "active") return { outcome: "failed" };
  const attempt = await checkFactorAttempt(deps, user.id);
  if (!attempt.allowed) return { outcome: "throttled", retryAfterSeconds: attempt.retryAfterSeconds };
  const phone = verifiedNumber(deps, user);
  const used = phone ? await redeemSmsCode(deps, user.id, "second_factor", code) : null;
  // A code texted to a number the account no longer has verified proves nothing.
  if (!used || used.destination !== phone?.e164) {
    const { retryAfterSeconds } = await recordFactorFailure(deps, user.id, "sms", request);
    return retryAfterSeconds > 0 ? { outcome: "throttled", retryAfterSeconds } : { outcome: "failed" };
  }
  return { outcome: "verified", user };
}

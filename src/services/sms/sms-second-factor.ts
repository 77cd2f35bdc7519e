import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import { checkFactorAttempt, recordFactorFailure } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { maskPhone, type PhoneNumber, textableNumber } from "./phone-numbers";
import { redeemSmsCode } from "./sms-codes";
import { textCodeToUser } from "./text-code";

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
  const sent = await textCodeToUser(deps, user, phone, "second_factor", request);
  return sent.sent ? { outcome: "sent", masked: maskPhone(phone.e164) } : { outcome: "throttled", retryAfterSeconds: sent.retryAfterSeconds };
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

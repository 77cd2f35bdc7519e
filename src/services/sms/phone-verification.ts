import { oneTimeCodesStore } from "../../storage/one-time-codes-store";
import { phoneStore, removePhone } from "../../storage/phone-store";
import type { UserRow } from "../../storage/schema";
import { checkFactorAttempt, clearFactorFailures, recordFactorFailure } from "../auth/factor-attempts";
import { notifyFactorChange } from "../auth/factor-notices";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { type NumberProblem, textableNumber } from "./phone-numbers";
import { redeemSmsCode } from "./sms-codes";
import { textCodeToUser } from "./text-code";

export type PhoneProblem = NumberProblem | "same_number";

export type StartResult = { ok: true } | { ok: false; problem: PhoneProblem } | { ok: false; retryAfterSeconds: number };
export type ConfirmResult = { ok: true; phone: string } | { ok: false; problem: "code_invalid" } | { ok: false; retryAfterSeconds: number };

/** The number waiting for its code on the account page, if a confirmation code is still open. */
export async function pendingPhone(deps: Pick<Deps, "db" | "clock">, userId: string): Promise<string | null> {
  return (await oneTimeCodesStore(deps.db).findLatestOpen(userId, "sms", "verify_phone", deps.clock()))?.destination ?? null;
}

/**
 * Texts a confirmation code to a new number. Nothing on the account changes yet: the number is saved
 * (as verified) only when its code comes back, so nobody can claim a number they cannot receive texts on.
 */
export async function startPhoneVerification(deps: Deps, user: UserRow, input: { phone: unknown }, request: RequestContext): Promise<StartResult> {
  const textable = textableNumber(deps.config.sms, input.phone);
  if ("problem" in textable) return { ok: false, problem: textable.problem };
  const { phone } = textable;
  if (user.phone === phone.e164 && user.phoneVerified) return { ok: false, problem: "same_number" };
  const sent = await textCodeToUser(deps, user, phone, "verify_phone", request);
  return sent.sent ? { ok: true } : { ok: false, retryAfterSeconds: sent.retryAfterSeconds };
}

/**
 * The code came back: the number it went to becomes the account's verified number, in one batch that
 * also ends any other account's claim on it (numbers are recycled; whoever receives its texts now holds
 * it). The owner is told, and so is the account that lost the number.
 */
export async function confirmPhoneVerification(deps: Deps, user: UserRow, code: unknown, request: RequestContext): Promise<ConfirmResult> {
  const attempt = await checkFactorAttempt(deps, user.id);
  if (!attempt.allowed) return { ok: false, retryAfterSeconds: attempt.retryAfterSeconds };
  const used = await redeemSmsCode(deps, user.id, "verify_phone", code);
  if (!used) {
    const { retryAfterSeconds } = await recordFactorFailure(deps, user.id, "sms", request);
    return retryAfterSeconds > 0 ? { ok: false, retryAfterSeconds } : { ok: false, problem: "code_invalid" };
  }
  const store = phoneStore(deps.db);
  const displaced = await store.othersHolding(user.id, used.destination);
  await deps.db.batch([...store.setVerifiedStatements(user.id, used.destination, deps.clock())]);
  await clearFactorFailures(deps, user.id);
  await notifyFactorChange(deps, user, { factor: "sms", action: "added" }, request);
  for (const other of displaced) await notifyFactorChange(deps, other, { factor: "sms", action: "removed", actor: "user", actorId: user.id }, request);
  return { ok: true, phone: used.destination };
}

/** Removes the number (the route has checked for a recent login) and tells the owner. */
export async function removeUserPhone(deps: Deps, user: UserRow, request: RequestContext): Promise<boolean> {
  const removed = await removePhone(deps.db, user.id, deps.clock());
  if (removed) await notifyFactorChange(deps, user, { factor: "sms", action: "removed" }, request);
  return removed;
}

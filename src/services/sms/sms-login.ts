import { sha256Hex } from "../../lib/hashing";
import { askGuard } from "../../storage/guards";
import { phoneStore } from "../../storage/phone-store";
import type { UserRow } from "../../storage/schema";
import { isLocale } from "../../ui/i18n";
import { checkFactorAttempt, clearFactorFailures, recordFactorFailure } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { type NumberProblem, type PhoneNumber, textableNumber } from "./phone-numbers";
import { allowSmsSend } from "./send-limits";
import { issueSmsCode, redeemSmsCode } from "./sms-codes";
import { smsCodeMessage } from "./sms-texts";

export type SmsLoginRequest =
  | { outcome: "sent"; phone: PhoneNumber }
  | { outcome: "rejected"; problem: NumberProblem }
  | { outcome: "throttled"; retryAfterSeconds: number };

export type SmsLoginVerification = { outcome: "success"; user: UserRow } | { outcome: "failed" } | { outcome: "throttled"; retryAfterSeconds: number };

/**
 * Step one of logging in with a text: the same answer whether or not an account has the number
 * verified. Send limits count every valid number alike; the lookup, the code and the text happen after
 * the response (`defer`), so neither the answer nor its timing tells who has an account.
 */
export async function requestSmsLogin(deps: Deps, input: { phone: unknown }, request: RequestContext): Promise<SmsLoginRequest> {
  const textable = textableNumber(deps.config.sms, input.phone);
  if ("problem" in textable) return { outcome: "rejected", problem: textable.problem };
  const limit = await allowSmsSend(deps, textable.phone, request);
  if (!limit.allowed) return { outcome: "throttled", retryAfterSeconds: limit.retryAfterSeconds };
  deps.defer(sendLoginCodeIfKnown(deps, textable.phone.e164, request));
  return { outcome: "sent", phone: textable.phone };
}

async function sendLoginCodeIfKnown(deps: Deps, e164: string, request: RequestContext): Promise<void> {
  const user = await phoneStore(deps.db).findByVerifiedPhone(e164);
  if (user?.status !== "active") return;
  const code = await issueSmsCode(deps, user.id, "login", e164);
  const locale = isLocale(user.locale) ? user.locale : request.locale;
  await deps.sender.send(smsCodeMessage({ to: e164, code, purpose: "login", locale, issuerUrl: deps.config.issuerUrl }));
  await deps.audit.record({ type: "mfa.sms_sent", outcome: "success", actorType: "anonymous", userId: user.id, details: { purpose: "login" } }, request);
}

/**
 * Step two: the number and the texted code. Throttling is asked first, per number (a guard named by its
 * hash, whether or not an account has it) and per source, like password logins. A wrong code, an unknown
 * number, a disabled account and an account whose own guard is backing off all fail alike; each failure
 * counts for the number and the source, and for the account in its `UserGuard` (every OTP attempt).
 */
export async function verifySmsLogin(deps: Deps, input: { phone: unknown; code: unknown }, request: RequestContext): Promise<SmsLoginVerification> {
  const textable = textableNumber(deps.config.sms, input.phone);
  if ("problem" in textable) return { outcome: "failed" };
  const e164 = textable.phone.e164;
  const now = deps.clock();
  const nameHash = await sha256Hex(`sms:${e164}`);
  const numberGuard = deps.guards.login(nameHash);
  const ipGuard = deps.guards.ip(request.ip);
  const [byNumber, bySource] = await askGuard(() => Promise.all([numberGuard.checkLogin(now), ipGuard.checkLogin(now)]));
  if (!byNumber.allowed || !bySource.allowed) {
    await deps.audit.record(
      { type: "user.login_throttled", outcome: "failure", actorType: "anonymous", details: { by: byNumber.allowed ? "ip" : "account", method: "sms" } },
      request,
    );
    return { outcome: "throttled", retryAfterSeconds: Math.max(byNumber.retryAfterSeconds, bySource.retryAfterSeconds) };
  }

  const user = await phoneStore(deps.db).findByVerifiedPhone(e164);
  // From here on the same calls run whether or not an account has the number (its own guard stands in
  // for the account's, an empty id for its codes), so neither answer nor timing tells them apart.
  const policy = deps.config.login;
  const throttle = { failuresBeforeBackoff: policy.accountFailuresBeforeBackoff, maxBackoffSeconds: policy.accountMaxBackoffSeconds };
  const gate = user ? await checkFactorAttempt(deps, user.id) : await askGuard(() => numberGuard.checkFactor(now));
  const usable = user?.status === "active" && gate.allowed;
  const used = await redeemSmsCode(deps, usable ? user.id : "", "login", input.code);
  if (!user || !used || used.destination !== e164) {
    await askGuard(() =>
      Promise.all([
        numberGuard.recordLoginFailure(now, throttle),
        ipGuard.recordLoginFailure(now, nameHash, {
          failureLimit: policy.ipFailureLimit,
          accountLimit: policy.ipAccountLimit,
          windowSeconds: policy.ipWindowSeconds,
        }),
      ]),
    );
    if (user) await recordFactorFailure(deps, user.id, "sms", request);
    else await recordUnknownNumberFailure(deps, numberGuard, throttle, request);
    return { outcome: "failed" };
  }
  await askGuard(() => numberGuard.clearLoginFailures());
  await clearFactorFailures(deps, user.id);
  return { outcome: "success", user };
}

/** The counterpart of `recordFactorFailure` for a number without an account: the same guard call and audit write. */
async function recordUnknownNumberFailure(
  deps: Deps,
  numberGuard: ReturnType<Deps["guards"]["login"]>,
  throttle: { failuresBeforeBackoff: number; maxBackoffSeconds: number },
  request: RequestContext,
): Promise<void> {
  const result = await askGuard(() => numberGuard.recordFactorFailure(deps.clock(), throttle));
  await deps.audit.record(
    { type: "mfa.failed", outcome: "failure", actorType: "anonymous", details: { factor: "sms", reason: "unknown_number", failures: result.failures } },
    request,
  );
}

import type { UserRow } from "../../storage/schema";
import { isLocale } from "../../ui/i18n";
import { checkFactorAttempt } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { PhoneNumber } from "./phone-numbers";
import { allowSmsSend } from "./send-limits";
import { issueSmsCode } from "./sms-codes";
import { smsCodeMessage } from "./sms-texts";

export type TextCodeResult = { sent: true } | { sent: false; retryAfterSeconds: number };

/**
 * Texts a fresh code for `purpose` to `phone` for a signed-in (or first-factor-proven) user. The account's
 * factor backoff and the send limits apply before anything is sent; the send is awaited (a provider
 * failure shows, no false "sent") and recorded in the audit log.
 */
export async function textCodeToUser(
  deps: Deps,
  user: UserRow,
  phone: PhoneNumber,
  purpose: "verify_phone" | "second_factor",
  request: RequestContext,
): Promise<TextCodeResult> {
  const attempt = await checkFactorAttempt(deps, user.id);
  if (!attempt.allowed) return { sent: false, retryAfterSeconds: attempt.retryAfterSeconds };
  const limit = await allowSmsSend(deps, phone, request);
  if (!limit.allowed) return { sent: false, retryAfterSeconds: limit.retryAfterSeconds };
  const code = await issueSmsCode(deps, user.id, purpose, phone.e164);
  const locale = isLocale(user.locale) ? user.locale : request.locale;
  await deps.sender.send(smsCodeMessage({ to: phone.e164, code, purpose, locale, issuerUrl: deps.config.issuerUrl }));
  await deps.audit.record(
    {
      type: "mfa.sms_sent",
      outcome: "success",
      actorType: "user",
      actorId: user.id,
      userId: user.id,
      details: { purpose, country: phone.callingCode },
    },
    request,
  );
  return { sent: true };
}

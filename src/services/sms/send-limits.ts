import { sha256Hex } from "../../lib/hashing";
import { askGuard } from "../../storage/guards";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { PhoneNumber } from "./phone-numbers";

/**
 * Send limits against SMS pumping (toll fraud: bots make us text numbers whose operator pays the
 * attacker per message). Each is a fixed window in an `IpGuard` counter, strongly consistent.
 */
export const SMS_SEND_LIMITS = {
  /** Texts to one number: a person waiting for a code needs one, perhaps two more. */
  perNumber: { limit: 3, windowSeconds: 10 * 60 },
  perNumberDaily: { limit: 10, windowSeconds: 24 * 3600 },
  /** Texts requested from one source (IPv4 address or IPv6 /64), whatever the number. */
  perSource: { limit: 10, windowSeconds: 3600 },
} as const;

/**
 * Counts one text to `phone` against every limit, the source's first, then the number's, then its
 * country's (`SMS_COUNTRY_HOURLY_LIMIT`). Numbers are counted whether or not an account has them, so
 * a refusal reveals nothing. The guards are named by a hash: the number itself is never a key.
 */
export async function allowSmsSend(deps: Deps, phone: PhoneNumber, request: RequestContext): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const now = deps.clock();
  const numberGuard = deps.guards.destination(`sms:${await sha256Hex(phone.e164)}`);
  const checks = [
    () => deps.guards.ip(request.ip).hit("sms_send", SMS_SEND_LIMITS.perSource.limit, SMS_SEND_LIMITS.perSource.windowSeconds, now),
    () => numberGuard.hit("sms_send", SMS_SEND_LIMITS.perNumber.limit, SMS_SEND_LIMITS.perNumber.windowSeconds, now),
    () => numberGuard.hit("sms_send_daily", SMS_SEND_LIMITS.perNumberDaily.limit, SMS_SEND_LIMITS.perNumberDaily.windowSeconds, now),
    () => deps.guards.destination(`sms-country:${phone.callingCode}`).hit("sms_send", deps.config.sms.countryHourlyLimit, 3600, now),
  ];
  for (const check of checks) {
    const result = await askGuard(check);
    if (!result.allowed) return result;
  }
  return { allowed: true, retryAfterSeconds: 0 };
}

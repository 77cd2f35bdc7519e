import { askGuard } from "../../storage/guards";
import { type OneTimeCodeChannel, oneTimeCodesStore } from "../../storage/one-time-codes-store";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";

/** Emails with codes or links one source may trigger per hour, whatever the addresses (mail bombing, spraying). */
export const EMAIL_SENDS_PER_IP_PER_HOUR = 20;
/** Codes and links one account may be sent per hour, whoever asks (mail bombing one victim from many sources). */
export const EMAIL_SENDS_PER_ACCOUNT_PER_HOUR = 10;

/** Counts one send request against the source; the wait in seconds when it is over its limit, else null. */
export async function ipSendLimit(deps: Deps, request: RequestContext): Promise<number | null> {
  const limit = await askGuard(() => deps.guards.ip(request.ip).hit("email_code", EMAIL_SENDS_PER_IP_PER_HOUR, 3600, deps.clock()));
  return limit.allowed ? null : limit.retryAfterSeconds;
}

/** Whether the account may be sent one more secret on `channel` this hour (counted from the secrets themselves, in D1). */
export async function accountMaySend(deps: Deps, userId: string, channel: OneTimeCodeChannel = "email"): Promise<boolean> {
  const sent = await oneTimeCodesStore(deps.db).countSentSince(userId, channel, deps.clock() - 3600 * 1000);
  return sent < EMAIL_SENDS_PER_ACCOUNT_PER_HOUR;
}

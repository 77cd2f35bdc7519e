import { hmacSha256Hex } from "../../lib/hashing";
import { randomDigits, randomId } from "../../lib/random";
import { timingSafeEqualStrings } from "../../lib/timing-safe";
import { type OneTimeCodePurpose, oneTimeCodesStore } from "../../storage/one-time-codes-store";
import type { OneTimeCodeRow } from "../../storage/schema";
import type { Deps } from "../deps";

/** How long a texted code lives. */
export const SMS_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Wrong guesses a code survives (a resent code inherits the count); the last one kills it. */
export const MAX_SMS_CODE_ATTEMPTS = 5;

type CodeDeps = Pick<Deps, "db" | "clock" | "config">;

/** What an SMS code is for: a first-factor login, a second factor, or proving a new phone number. */
export type SmsCodePurpose = Extract<OneTimeCodePurpose, "login" | "second_factor" | "verify_phone">;

/** A fresh 6-digit code for `purpose`, stored as an HMAC; older open codes of the same purpose close. */
export async function issueSmsCode(deps: CodeDeps, userId: string, purpose: SmsCodePurpose, destination: string): Promise<string> {
  const now = deps.clock();
  const id = randomId();
  const code = randomDigits(6);
  await deps.db.batch([
    ...oneTimeCodesStore(deps.db).replaceStatements(
      { id, userId, channel: "sms", purpose, destination, codeHash: await codeHash(deps, id, code), createdAt: now, expiresAt: now + SMS_CODE_LIFETIME_MS },
      now,
      { keepSpentAttempts: true },
    ),
  ]);
  return code;
}

/**
 * Checks a typed code against the user's newest open code of `purpose`. Every try counts, right or
 * wrong, in one conditional UPDATE; the fifth wrong one kills the code. Returns the used code's row on
 * success (its `destination` is the number it went to), otherwise null. Pass an empty `userId` for a
 * number without an account: the same statements run, against no row.
 */
export async function redeemSmsCode(deps: CodeDeps, userId: string, purpose: SmsCodePurpose, input: unknown): Promise<OneTimeCodeRow | null> {
  const store = oneTimeCodesStore(deps.db);
  const now = deps.clock();
  const open = await store.findLatestOpen(userId, "sms", purpose, now);
  const code = typeof input === "string" ? input.replace(/\s/g, "") : "";
  if (!open) {
    // The same statements against nothing (an empty id matches no row): "no account" or "no open code"
    // take as long as a wrong code, so the answer's timing tells an observer nothing.
    await store.countAttempt("", now, MAX_SMS_CODE_ATTEMPTS);
    await codeHash(deps, "", code);
    return null;
  }
  const attempts = await store.countAttempt(open.id, now, MAX_SMS_CODE_ATTEMPTS);
  if (attempts === undefined) return null;
  const matches = /^\d{6}$/.test(code) && (await timingSafeEqualStrings(open.codeHash, await codeHash(deps, open.id, code)));
  if (matches) return (await store.consume(open.id, now)) ?? null;
  if (attempts >= MAX_SMS_CODE_ATTEMPTS) await store.consume(open.id, now);
  return null;
}

/** Six digits are only 20 bits: keyed with a server secret, a copy of the table alone does not reveal them. */
function codeHash(deps: CodeDeps, id: string, code: string): Promise<string> {
  return hmacSha256Hex(deps.config.keyEncryptionKey, `sms-code:${id}:${code}`);
}

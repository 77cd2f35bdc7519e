import { and, desc, eq, gt, isNull, lt, ne, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type OneTimeCodeRow, oneTimeCodes } from "./schema";

/** What an SMS code is for: a first-factor login, a second factor, or proving a new phone number. */
export type SmsCodePurpose = Extract<OneTimeCodeRow["purpose"], "login" | "second_factor" | "verify_phone">;

/**
 * SMS codes in `one_time_codes` (channel `sms`; the email track keeps its own store on the same table).
 * D1 is strongly consistent, so counting an attempt and using a code are each one conditional UPDATE.
 */
export function smsCodesStore(db: Database) {
  const open = (now: number) => and(eq(oneTimeCodes.channel, "sms"), isNull(oneTimeCodes.consumedAt), gt(oneTimeCodes.expiresAt, now));
  const ofUser = (userId: string, purpose: SmsCodePurpose) => and(eq(oneTimeCodes.userId, userId), eq(oneTimeCodes.purpose, purpose));
  return {
    /**
     * Statements (run them in one batch) that insert a new code and close the user's older open codes of
     * the same purpose. The new code starts with the attempts already spent on the open one it replaces,
     * counted inside the INSERT itself: asking for another code never buys more guesses.
     */
    issueStatements: (code: Omit<typeof oneTimeCodes.$inferInsert, "channel" | "attempts"> & { purpose: SmsCodePurpose }, now: number) =>
      [
        db.insert(oneTimeCodes).values({
          ...code,
          channel: "sms",
          attempts: sql`coalesce((select max(${oneTimeCodes.attempts}) from ${oneTimeCodes} where ${and(ofUser(code.userId, code.purpose), open(now))}), 0)`,
        }),
        db
          .update(oneTimeCodes)
          .set({ consumedAt: now })
          .where(and(ofUser(code.userId, code.purpose), open(now), ne(oneTimeCodes.id, code.id))),
      ] as const,
    /** The user's newest open code of `purpose`. */
    findLatestOpen: (userId: string, purpose: SmsCodePurpose, now: number): Promise<OneTimeCodeRow | undefined> =>
      db
        .select()
        .from(oneTimeCodes)
        .where(and(ofUser(userId, purpose), open(now)))
        .orderBy(desc(oneTimeCodes.createdAt))
        .get(),
    /**
     * Counts one attempt on an open code that still has attempts left; returns the new count, or
     * undefined when the code is closed, expired or used up. Concurrent guesses cannot exceed `max`.
     */
    countAttempt: async (id: string, max: number, now: number): Promise<number | undefined> =>
      (
        await db
          .update(oneTimeCodes)
          .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
          .where(and(eq(oneTimeCodes.id, id), open(now), lt(oneTimeCodes.attempts, max)))
          .returning({ attempts: oneTimeCodes.attempts })
          .get()
      )?.attempts,
    /** Uses (or kills) a code once: only one caller can flip `consumed_at`, so only one wins under concurrency. */
    consume: (id: string, now: number): Promise<OneTimeCodeRow | undefined> =>
      db
        .update(oneTimeCodes)
        .set({ consumedAt: now })
        .where(and(eq(oneTimeCodes.id, id), open(now)))
        .returning()
        .get(),
    /** Closes every open SMS code of the user (the number was removed or changed). */
    consumeAllStatement: (userId: string, now: number) =>
      db
        .update(oneTimeCodes)
        .set({ consumedAt: now })
        .where(and(eq(oneTimeCodes.userId, userId), open(now))),
  };
}

export type SmsCodesStore = ReturnType<typeof smsCodesStore>;

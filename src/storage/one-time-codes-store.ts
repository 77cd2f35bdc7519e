import { and, desc, eq, gt, gte, isNull, lt, ne, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type OneTimeCodeRow, oneTimeCodes } from "./mfa-schema";

export type OneTimeCodeChannel = OneTimeCodeRow["channel"];
export type OneTimeCodePurpose = OneTimeCodeRow["purpose"];
export type NewOneTimeCode = typeof oneTimeCodes.$inferInsert;

/**
 * One-time login secrets (email and SMS codes, magic links) in D1, where reads are strongly consistent:
 * "use once" and "count one attempt" are each one conditional UPDATE, never a read followed by a write.
 * Generic over channel and purpose; the email and SMS services both use it.
 */
export function oneTimeCodesStore(db: Database) {
  const open = (now: number) => and(isNull(oneTimeCodes.consumedAt), gt(oneTimeCodes.expiresAt, now));
  const ofKind = (userId: string, channel: OneTimeCodeChannel, purpose: OneTimeCodePurpose) =>
    and(eq(oneTimeCodes.userId, userId), eq(oneTimeCodes.channel, channel), eq(oneTimeCodes.purpose, purpose));
  return {
    /**
     * Statements (run them in one batch) that insert a new secret and supersede the user's other unused
     * secrets of the same channel and purpose. With `keepSpentAttempts`, the new code starts with the
     * attempts already spent on the open one it replaces, counted inside the INSERT itself: asking for
     * another code never buys more guesses. Without it the count starts at zero (the email track limits
     * guesses per account instead).
     */
    replaceStatements: (row: NewOneTimeCode, now: number, options: { keepSpentAttempts?: boolean } = {}) =>
      [
        db.insert(oneTimeCodes).values(
          options.keepSpentAttempts
            ? {
                ...row,
                attempts: sql`coalesce((select max(${oneTimeCodes.attempts}) from ${oneTimeCodes} where ${and(ofKind(row.userId, row.channel, row.purpose), open(now))}), 0)`,
              }
            : row,
        ),
        db
          .update(oneTimeCodes)
          .set({ consumedAt: now })
          .where(and(ofKind(row.userId, row.channel, row.purpose), isNull(oneTimeCodes.consumedAt), ne(oneTimeCodes.id, row.id))),
      ] as const,
    findOpenById: (id: string, now: number): Promise<OneTimeCodeRow | undefined> =>
      db
        .select()
        .from(oneTimeCodes)
        .where(and(eq(oneTimeCodes.id, id), open(now)))
        .get(),
    findOpenByTokenHash: (tokenHash: string, purpose: OneTimeCodePurpose, now: number): Promise<OneTimeCodeRow | undefined> =>
      db
        .select()
        .from(oneTimeCodes)
        .where(and(eq(oneTimeCodes.tokenHash, tokenHash), eq(oneTimeCodes.purpose, purpose), open(now)))
        .get(),
    /** Any row behind a link token, open or not: tells "already used" apart from "never existed". */
    findByTokenHash: (tokenHash: string): Promise<OneTimeCodeRow | undefined> =>
      db.select().from(oneTimeCodes).where(eq(oneTimeCodes.tokenHash, tokenHash)).get(),
    /** The user's newest open secret of `channel` and `purpose`. */
    findLatestOpen: (userId: string, channel: OneTimeCodeChannel, purpose: OneTimeCodePurpose, now: number): Promise<OneTimeCodeRow | undefined> =>
      db
        .select()
        .from(oneTimeCodes)
        .where(and(ofKind(userId, channel, purpose), open(now)))
        .orderBy(desc(oneTimeCodes.createdAt))
        .get(),
    /**
     * Counts one code attempt; the new count, or undefined when the secret is no longer open (or, with
     * `max`, has no attempts left: then concurrent guesses cannot exceed `max`).
     */
    countAttempt: async (id: string, now: number, max?: number): Promise<number | undefined> =>
      (
        await db
          .update(oneTimeCodes)
          .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
          .where(and(eq(oneTimeCodes.id, id), open(now), max === undefined ? undefined : lt(oneTimeCodes.attempts, max)))
          .returning({ attempts: oneTimeCodes.attempts })
          .get()
      )?.attempts,
    /** The single-use step: only one caller can set `consumed_at`, so only one wins under concurrency. */
    consume: (id: string, now: number): Promise<OneTimeCodeRow | undefined> =>
      db
        .update(oneTimeCodes)
        .set({ consumedAt: now })
        .where(and(eq(oneTimeCodes.id, id), open(now)))
        .returning()
        .get(),
    /** Closes every open secret of the user on `channel` (e.g. the phone number was removed or changed). */
    consumeAllStatement: (userId: string, channel: OneTimeCodeChannel, now: number) =>
      db
        .update(oneTimeCodes)
        .set({ consumedAt: now })
        .where(and(eq(oneTimeCodes.userId, userId), eq(oneTimeCodes.channel, channel), open(now))),
    /** Secrets sent to the user on `channel` since `since` (per-account send caps), whatever became of them. */
    countSentSince: async (userId: string, channel: OneTimeCodeChannel, since: number): Promise<number> =>
      (
        await db
          .select({ n: sql<number>`count(*)` })
          .from(oneTimeCodes)
          .where(and(eq(oneTimeCodes.userId, userId), eq(oneTimeCodes.channel, channel), gte(oneTimeCodes.createdAt, since)))
          .get()
      )?.n ?? 0,
    /** Daily clean-up: rows whose secret expired a day ago (kept that long so send caps and "already used" pages still see them). */
    purgeExpiredStatement: (now: number) => db.delete(oneTimeCodes).where(lt(oneTimeCodes.expiresAt, now - 24 * 3600 * 1000)),
  };
}

export type OneTimeCodesStore = ReturnType<typeof oneTimeCodesStore>;

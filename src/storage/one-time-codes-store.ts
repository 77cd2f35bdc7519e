import { and, desc, eq, gt, gte, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type OneTimeCodeRow, oneTimeCodes } from "./mfa-schema";

export type OneTimeCodeChannel = OneTimeCodeRow["channel"];
export type OneTimeCodePurpose = OneTimeCodeRow["purpose"];
export type NewOneTimeCode = typeof oneTimeCodes.$inferInsert;

/**
 * One-time login secrets (email/SMS codes, magic links) in D1, where reads are strongly consistent:
 * "use once" is one conditional UPDATE, never a read followed by a write. Generic over channel and purpose.
 */
export function oneTimeCodesStore(db: Database) {
  const open = (now: number) => and(isNull(oneTimeCodes.consumedAt), gt(oneTimeCodes.expiresAt, now));
  return {
    /**
     * Statements that supersede the user's open secrets of the same channel and purpose and insert the new
     * one; run them in one batch. The old code dies, but the account's attempt count (UserGuard) does not reset.
     */
    replaceStatements: (row: NewOneTimeCode, now: number) =>
      [
        db
          .update(oneTimeCodes)
          .set({ consumedAt: now })
          .where(
            and(
              eq(oneTimeCodes.userId, row.userId),
              eq(oneTimeCodes.channel, row.channel),
              eq(oneTimeCodes.purpose, row.purpose),
              isNull(oneTimeCodes.consumedAt),
            ),
          ),
        db.insert(oneTimeCodes).values(row),
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
    findLatestOpen: (userId: string, channel: OneTimeCodeChannel, purpose: OneTimeCodePurpose, now: number): Promise<OneTimeCodeRow | undefined> =>
      db
        .select()
        .from(oneTimeCodes)
        .where(and(eq(oneTimeCodes.userId, userId), eq(oneTimeCodes.channel, channel), eq(oneTimeCodes.purpose, purpose), open(now)))
        .orderBy(desc(oneTimeCodes.createdAt))
        .get(),
    /** Counts one code attempt; the new count, or undefined when the secret is no longer open. */
    countAttempt: async (id: string, now: number): Promise<number | undefined> =>
      (
        await db
          .update(oneTimeCodes)
          .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
          .where(and(eq(oneTimeCodes.id, id), open(now)))
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

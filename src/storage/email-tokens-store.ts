import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type EmailTokenRow, emailTokens } from "./schema";

export type EmailTokenPurpose = EmailTokenRow["purpose"];

/** Single-use emailed secrets in D1 (strongly consistent, so "consume once" is one conditional UPDATE). */
export function emailTokensStore(db: Database) {
  /** The single-use step: only one caller can flip `consumed_at`, so only one wins under concurrency. */
  const consumeStatement = (id: string, now: number) =>
    db
      .update(emailTokens)
      .set({ consumedAt: now })
      .where(and(eq(emailTokens.id, id), isNull(emailTokens.consumedAt), gt(emailTokens.expiresAt, now)))
      .returning();
  return {
    /** Statements that supersede the user's open tokens of `purpose` and insert the new one; run them in one batch. */
    replaceStatements: (token: typeof emailTokens.$inferInsert, now: number) =>
      [
        db
          .update(emailTokens)
          .set({ consumedAt: now })
          .where(and(eq(emailTokens.userId, token.userId), eq(emailTokens.purpose, token.purpose), isNull(emailTokens.consumedAt))),
        db.insert(emailTokens).values(token),
      ] as const,
    findOpenByTokenHash: (tokenHash: string, purpose: EmailTokenPurpose, now: number): Promise<EmailTokenRow | undefined> =>
      db
        .select()
        .from(emailTokens)
        .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose), isNull(emailTokens.consumedAt), gt(emailTokens.expiresAt, now)))
        .get(),
    findLatestOpen: (userId: string, purpose: EmailTokenPurpose, now: number): Promise<EmailTokenRow | undefined> =>
      db
        .select()
        .from(emailTokens)
        .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.consumedAt), gt(emailTokens.expiresAt, now)))
        .orderBy(desc(emailTokens.createdAt))
        .get(),
    /** Counts one code attempt; returns the new count, or undefined when the token is no longer open. */
    countAttempt: async (id: string, now: number): Promise<number | undefined> =>
      (
        await db
          .update(emailTokens)
          .set({ attempts: sql`${emailTokens.attempts} + 1` })
          .where(and(eq(emailTokens.id, id), isNull(emailTokens.consumedAt), gt(emailTokens.expiresAt, now)))
          .returning({ attempts: emailTokens.attempts })
          .get()
      )?.attempts,
    consumeStatement,
    consume: (id: string, now: number): Promise<EmailTokenRow | undefined> => consumeStatement(id, now).get(),
    /** Burns every open token of the user (e.g. after the password changed). */
    consumeAllStatement: (userId: string, now: number) =>
      db
        .update(emailTokens)
        .set({ consumedAt: now })
        .where(and(eq(emailTokens.userId, userId), isNull(emailTokens.consumedAt))),
  };
}

export type EmailTokensStore = ReturnType<typeof emailTokensStore>;

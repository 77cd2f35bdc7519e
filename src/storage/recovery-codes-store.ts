import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "./db";
import { recoveryCodes } from "./mfa-schema";

/** Recovery codes in D1, as SHA-256 hashes. */
export function recoveryCodesStore(db: Database) {
  return {
    /** Statements that drop every old code of the user and insert the new set: run them in one batch, so the old set dies with it. */
    replaceStatements: (userId: string, codeHashes: string[], now: number) =>
      [
        db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
        db.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ codeHash, userId, createdAt: now }))),
      ] as const,
    /** Uses one code: a single conditional UPDATE, so a code works once even under concurrency. */
    consume: async (userId: string, codeHash: string, now: number): Promise<boolean> =>
      (await db
        .update(recoveryCodes)
        .set({ usedAt: now })
        .where(and(eq(recoveryCodes.codeHash, codeHash), eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
        .returning({ codeHash: recoveryCodes.codeHash })
        .get()) !== undefined,
    countUnused: async (userId: string): Promise<number> =>
      (
        await db
          .select({ n: sql<number>`count(*)` })
          .from(recoveryCodes)
          .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
          .get()
      )?.n ?? 0,
    remove: async (userId: string): Promise<number> => (await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).returning().all()).length,
  };
}

/** How many unused recovery codes the user has left. */
export function unusedRecoveryCodeCount(db: Database, userId: string): Promise<number> {
  return recoveryCodesStore(db).countUnused(userId);
}

/** Deletes every recovery code of the user (admin MFA reset); returns how many there were. */
export function deleteRecoveryCodes(db: Database, userId: string): Promise<number> {
  return recoveryCodesStore(db).remove(userId);
}

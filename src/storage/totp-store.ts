import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type TotpFactorRow, totpFactors } from "./mfa-schema";

/** Authenticator-app secrets in D1: one row per user, unconfirmed until the first code proves the app has it. */
export function totpStore(db: Database) {
  return {
    find: (userId: string): Promise<TotpFactorRow | undefined> => db.select().from(totpFactors).where(eq(totpFactors.userId, userId)).get(),
    /**
     * Stores a new unconfirmed secret, replacing an older unconfirmed one; a confirmed secret is never
     * overwritten here (it must be removed first). Returns false when the user already has a confirmed one.
     */
    savePending: async (userId: string, encryptedSecret: string, now: number): Promise<boolean> => {
      const row = await db
        .insert(totpFactors)
        .values({ userId, encryptedSecret, createdAt: now })
        .onConflictDoUpdate({
          target: totpFactors.userId,
          set: { encryptedSecret, createdAt: now, lastUsedStep: null },
          setWhere: isNull(totpFactors.confirmedAt),
        })
        .returning({ userId: totpFactors.userId })
        .get();
      return row !== undefined;
    },
    /**
     * Confirms the pending secret the code was checked against (`encryptedSecret` pins it, so a secret
     * replaced in between is not confirmed) and records the step used, so that code cannot be used again.
     */
    confirm: async (userId: string, encryptedSecret: string, step: number, now: number): Promise<boolean> =>
      (await db
        .update(totpFactors)
        .set({ confirmedAt: now, lastUsedStep: step })
        .where(and(eq(totpFactors.userId, userId), eq(totpFactors.encryptedSecret, encryptedSecret), isNull(totpFactors.confirmedAt)))
        .returning({ userId: totpFactors.userId })
        .get()) !== undefined,
    /**
     * The replay guard: moves `last_used_step` forward to `step` only if it is behind it, in one conditional
     * statement. Of two parallel requests with the same code exactly one sees the row come back.
     */
    advanceStep: async (userId: string, step: number): Promise<boolean> =>
      (await db
        .update(totpFactors)
        .set({ lastUsedStep: step })
        .where(
          and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step))),
        )
        .returning({ userId: totpFactors.userId })
        .get()) !== undefined,
    /** Removes the secret (confirmed or not); returns whether a confirmed one was removed. */
    remove: async (userId: string): Promise<boolean> => {
      const row = await db.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ confirmedAt: totpFactors.confirmedAt }).get();
      return row?.confirmedAt != null;
    },
    countConfirmed: async (userId: string): Promise<number> =>
      (
        await db
          .select({ n: sql<number>`count(*)` })
          .from(totpFactors)
          .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)))
          .get()
      )?.n ?? 0,
  };
}

/** Whether the user has an authenticator app that passed its first code (the admin API and the factor list ask this). */
export async function hasConfirmedTotp(db: Database, userId: string): Promise<boolean> {
  return (await totpStore(db).countConfirmed(userId)) > 0;
}

/** Deletes the user's authenticator-app secret; returns whether a confirmed one existed (admin MFA reset). */
export function deleteTotp(db: Database, userId: string): Promise<boolean> {
  return totpStore(db).remove(userId);
}

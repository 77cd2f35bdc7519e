import { and, eq, isNotNull, ne } from "drizzle-orm";
import type { Database } from "./db";
import { oneTimeCodesStore } from "./one-time-codes-store";
import { type UserRow, users } from "./schema";

/** Phone numbers on accounts (`users.phone`, E.164, and `users.phone_verified`). */
export function phoneStore(db: Database) {
  return {
    /**
     * The one account that has proven it holds `e164`. Two accounts claiming one verified number
     * (possible only through a race) make it ambiguous: then nobody logs in with it.
     */
    findByVerifiedPhone: async (e164: string): Promise<UserRow | undefined> => {
      const rows = await db
        .select()
        .from(users)
        .where(and(eq(users.phone, e164), eq(users.phoneVerified, true)))
        .limit(2)
        .all();
      return rows.length === 1 ? rows[0] : undefined;
    },
    /**
     * Statements (one batch) that make `e164` the user's verified number. Whoever proves possession of
     * a number last holds it: numbers get recycled, so an older claim on it by another account ends.
     */
    setVerifiedStatements: (userId: string, e164: string, now: number) =>
      [
        db
          .update(users)
          .set({ phoneVerified: false, updatedAt: now })
          .where(and(eq(users.phone, e164), eq(users.phoneVerified, true), ne(users.id, userId))),
        db.update(users).set({ phone: e164, phoneVerified: true, factorsChangedAt: now, updatedAt: now }).where(eq(users.id, userId)),
      ] as const,
    /** Accounts that would lose their claim on `e164` if another account verified it now. */
    othersHolding: (userId: string, e164: string): Promise<UserRow[]> =>
      db
        .select()
        .from(users)
        .where(and(eq(users.phone, e164), eq(users.phoneVerified, true), ne(users.id, userId)))
        .all(),
  };
}

/**
 * Removes the user's phone number and closes any SMS code still open for it (admin API, account page).
 * Returns whether the account had a number. Notifying the owner is the caller's job.
 */
export async function removePhone(db: Database, userId: string, now = Date.now()): Promise<boolean> {
  const [, removed] = await db.batch([
    oneTimeCodesStore(db).consumeAllStatement(userId, "sms", now),
    db
      .update(users)
      .set({ phone: null, phoneVerified: false, updatedAt: now })
      .where(and(eq(users.id, userId), isNotNull(users.phone)))
      .returning({ id: users.id }),
  ]);
  return removed.length > 0;
}

import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type PushSubscriptionRow, pushSubscriptions } from "./mfa-schema";

/** Browsers enrolled for push approvals. Every query is scoped to one user, so ids of other users' rows do nothing. */
export function pushSubscriptionsStore(db: Database) {
  return {
    listByUser: (userId: string): Promise<PushSubscriptionRow[]> =>
      db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)).orderBy(asc(pushSubscriptions.createdAt)).all(),
    countByUser: async (userId: string): Promise<number> =>
      (await db.select({ n: count() }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)).get())?.n ?? 0,
    /**
     * Adds a subscription, or refreshes the keys and name when this user already enrolled the same endpoint
     * (browsers rotate keys on re-subscribe). An endpoint enrolled by another user is left alone: returns undefined.
     */
    upsert: (row: typeof pushSubscriptions.$inferInsert): Promise<PushSubscriptionRow | undefined> =>
      db
        .insert(pushSubscriptions)
        .values(row)
        .onConflictDoUpdate({
          target: pushSubscriptions.endpoint,
          set: { p256dh: row.p256dh, auth: row.auth, name: row.name },
          setWhere: sql`${pushSubscriptions.userId} = excluded.user_id`,
        })
        .returning()
        .get(),
    rename: async (userId: string, id: string, name: string): Promise<boolean> =>
      (
        await db
          .update(pushSubscriptions)
          .set({ name })
          .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.userId, userId)))
          .returning({ id: pushSubscriptions.id })
      ).length > 0,
    remove: async (userId: string, id: string): Promise<PushSubscriptionRow | undefined> =>
      db
        .delete(pushSubscriptions)
        .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.userId, userId)))
        .returning()
        .get(),
    touch: (id: string, now: number) => db.update(pushSubscriptions).set({ lastUsedAt: now }).where(eq(pushSubscriptions.id, id)).run(),
  };
}

export type PushSubscriptionsStore = ReturnType<typeof pushSubscriptionsStore>;

import { and, count, desc, eq, gt, lt } from "drizzle-orm";
import type { Database } from "./db";
import { type PushApprovalRow, pushApprovals } from "./mfa-schema";

/**
 * Push approval requests in D1. Every state change is one conditional UPDATE … RETURNING, so of two
 * concurrent answers (or two completions) exactly one wins.
 */
export function pushApprovalsStore(db: Database) {
  /** A newer request replaces the open ones of the same login: they expire now and can no longer be answered. */
  const supersedeStatement = (userId: string, pendingLoginId: string, now: number) =>
    db
      .update(pushApprovals)
      .set({ expiresAt: now })
      .where(
        and(
          eq(pushApprovals.userId, userId),
          eq(pushApprovals.pendingLoginId, pendingLoginId),
          eq(pushApprovals.status, "pending"),
          gt(pushApprovals.expiresAt, now),
        ),
      );
  return {
    /** Approvals a day past their expiry, for the daily clean-up (the day keeps recent answers for support questions). */
    purgeExpiredStatement: (now: number) => db.delete(pushApprovals).where(lt(pushApprovals.expiresAt, now - 24 * 3600_000)),
    /** Supersedes the login's open requests and adds the new one, in one batch. */
    replaceOpen: async (row: typeof pushApprovals.$inferInsert & { createdAt: number }) => {
      await db.batch([supersedeStatement(row.userId, row.pendingLoginId, row.createdAt), db.insert(pushApprovals).values(row)]);
    },
    findByTokenHash: (tokenHash: string): Promise<PushApprovalRow | undefined> =>
      db.select().from(pushApprovals).where(eq(pushApprovals.tokenHash, tokenHash)).get(),
    /** The newest approval of one pending login of one user (in the same millisecond, the one not superseded). */
    latestForLogin: (userId: string, pendingLoginId: string): Promise<PushApprovalRow | undefined> =>
      db
        .select()
        .from(pushApprovals)
        .where(and(eq(pushApprovals.userId, userId), eq(pushApprovals.pendingLoginId, pendingLoginId)))
        .orderBy(desc(pushApprovals.createdAt), desc(pushApprovals.expiresAt))
        .get(),
    countSince: async (userId: string, since: number): Promise<number> =>
      (
        await db
          .select({ n: count() })
          .from(pushApprovals)
          .where(and(eq(pushApprovals.userId, userId), gt(pushApprovals.createdAt, since)))
          .get()
      )?.n ?? 0,
    supersede: async (userId: string, pendingLoginId: string, now: number) => {
      await supersedeStatement(userId, pendingLoginId, now).run();
    },
    /** pending → approved or denied, only while unexpired; undefined when it was answered, expired or unknown. */
    answer: (id: string, status: "approved" | "denied", now: number): Promise<PushApprovalRow | undefined> =>
      db
        .update(pushApprovals)
        .set({ status, answeredAt: now })
        .where(and(eq(pushApprovals.id, id), eq(pushApprovals.status, "pending"), gt(pushApprovals.expiresAt, now)))
        .returning()
        .get(),
    /** approved → consumed for this user's pending login, once; only answers given after `answeredAfter` count. */
    consumeApproved: (userId: string, pendingLoginId: string, answeredAfter: number): Promise<PushApprovalRow | undefined> =>
      db
        .update(pushApprovals)
        .set({ status: "consumed" })
        .where(
          and(
            eq(pushApprovals.userId, userId),
            eq(pushApprovals.pendingLoginId, pendingLoginId),
            eq(pushApprovals.status, "approved"),
            gt(pushApprovals.answeredAt, answeredAfter),
          ),
        )
        .returning()
        .get(),
  };
}

export type PushApprovalsStore = ReturnType<typeof pushApprovalsStore>;

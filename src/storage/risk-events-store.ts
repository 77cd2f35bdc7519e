import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Database } from "./db";
import { type RiskEventRow, riskEvents } from "./schema";

export type NewRiskEvent = typeof riskEvents.$inferInsert;

export function riskEventsStore(db: Database) {
  return {
    insertStatement: (event: NewRiskEvent) => db.insert(riskEvents).values(event),
    /** The daily clean-up: decisions older than the retention period (`RISK_EVENTS_RETENTION_DAYS`). */
    purgeOlderThanStatement: (cutoff: number) => db.delete(riskEvents).where(lt(riskEvents.createdAt, cutoff)),
    /** Links the decision to the session its login started. */
    attachSession: (id: string, sessionId: string) => db.update(riskEvents).set({ sessionId }).where(eq(riskEvents.id, id)).run(),
    /** Newest first; `before` is the `created_at`/id cursor of the last row of the previous page. */
    list: (options: {
      limit: number;
      userId?: string;
      decision?: RiskEventRow["decision"];
      before?: { createdAt: number; id: string };
    }): Promise<RiskEventRow[]> => {
      const conditions = [
        options.userId ? eq(riskEvents.userId, options.userId) : undefined,
        options.decision ? eq(riskEvents.decision, options.decision) : undefined,
        options.before
          ? or(
              lt(riskEvents.createdAt, options.before.createdAt),
              and(eq(riskEvents.createdAt, options.before.createdAt), lt(riskEvents.id, options.before.id)),
            )
          : undefined,
      ].filter((condition) => condition !== undefined);
      return db
        .select()
        .from(riskEvents)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(riskEvents.createdAt), desc(riskEvents.id))
        .limit(options.limit)
        .all();
    },
    /** Arms the "this wasn't me" link of the owner's notification: only the token's SHA-256 is kept. */
    setReportToken: (id: string, tokenHash: string, expiresAt: number): Promise<RiskEventRow | undefined> =>
      db.update(riskEvents).set({ reportTokenHash: tokenHash, reportExpiresAt: expiresAt }).where(eq(riskEvents.id, id)).returning().get(),
    /** Takes a "this wasn't me" token once: one conditional UPDATE, so two clicks cannot both act. */
    consumeReport: (tokenHash: string, now: number): Promise<RiskEventRow | undefined> =>
      db
        .update(riskEvents)
        .set({ reportedAt: now })
        .where(and(eq(riskEvents.reportTokenHash, tokenHash), isNull(riskEvents.reportedAt), gt(riskEvents.reportExpiresAt, now)))
        .returning()
        .get(),
    findByReportToken: (tokenHash: string): Promise<RiskEventRow | undefined> =>
      db.select().from(riskEvents).where(eq(riskEvents.reportTokenHash, tokenHash)).get(),
  };
}

export type RiskEventsStore = ReturnType<typeof riskEventsStore>;

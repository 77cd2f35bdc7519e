import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "./db";
import { type AuditEventRow, auditEvents } from "./schema";

export type NewAuditEvent = typeof auditEvents.$inferInsert;

/** The append-only audit log: insert and read, nothing else. */
export function auditStore(db: Database) {
  return {
    insertStatement: (event: NewAuditEvent) => db.insert(auditEvents).values(event),
    /** Newest first; `before` is the `occurred_at`/id cursor of the last row of the previous page. */
    list: (options: { limit: number; userId?: string; type?: string; before?: { occurredAt: number; id: string } }): Promise<AuditEventRow[]> => {
      const conditions = [
        options.userId ? eq(auditEvents.userId, options.userId) : undefined,
        options.type ? eq(auditEvents.type, options.type) : undefined,
        options.before
          ? or(
              lt(auditEvents.occurredAt, options.before.occurredAt),
              and(eq(auditEvents.occurredAt, options.before.occurredAt), lt(auditEvents.id, options.before.id)),
            )
          : undefined,
      ].filter((condition) => condition !== undefined);
      return db
        .select()
        .from(auditEvents)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
        .limit(options.limit)
        .all();
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;

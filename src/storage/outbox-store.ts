import { desc, eq, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type OutboxMessageRow, outboxMessages } from "./schema";

/** The development outbox (only written when ENVIRONMENT=development). */
export function outboxStore(db: Database) {
  return {
    insert: (message: typeof outboxMessages.$inferInsert) => db.insert(outboxMessages).values(message).run(),
    /** Newest first (insertion order breaks ties within one millisecond). */
    list: (options: { to?: string; limit: number }): Promise<OutboxMessageRow[]> =>
      db
        .select()
        .from(outboxMessages)
        .where(options.to ? eq(outboxMessages.toAddress, options.to) : undefined)
        .orderBy(desc(outboxMessages.createdAt), desc(sql`rowid`))
        .limit(options.limit)
        .all(),
  };
}

import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type UserRow, users } from "./schema";

export type NewUser = typeof users.$inferInsert;

/** Accounts in D1. */
export function usersStore(db: Database) {
  return {
    findById: (id: string): Promise<UserRow | undefined> => db.select().from(users).where(eq(users.id, id)).get(),
    findByEmail: (email: string): Promise<UserRow | undefined> => db.select().from(users).where(eq(users.email, email)).get(),
    insertStatement: (user: NewUser) => db.insert(users).values(user),
    update: (id: string, changes: Partial<NewUser>) => db.update(users).set(changes).where(eq(users.id, id)).returning().get(),
    updateStatement: (id: string, changes: Partial<NewUser>) => db.update(users).set(changes).where(eq(users.id, id)),
    deleteStatement: (id: string) => db.delete(users).where(eq(users.id, id)),
    /** Keyset paging by id; `emailContains` filters on the canonical address. */
    list: (options: { after?: string; limit: number; emailContains?: string; email?: string }) => {
      const conditions = [
        options.after ? gt(users.id, options.after) : undefined,
        options.email ? eq(users.email, options.email) : undefined,
        options.emailContains ? sql`${users.email} LIKE ${`%${escapeLike(options.emailContains)}%`} ESCAPE '\\'` : undefined,
      ].filter((condition) => condition !== undefined);
      return db
        .select()
        .from(users)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(asc(users.id))
        .limit(options.limit)
        .all();
    },
    count: async (): Promise<number> => (await db.select({ n: sql<number>`count(*)` }).from(users).get())?.n ?? 0,
  };
}

export type UsersStore = ReturnType<typeof usersStore>;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

import { eq, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type ProfileProgressRow, profileProgress } from "./schema";

/** Per-user login count and "Not now" marker for progressive profiling. */
export function profileProgressStore(db: Database) {
  return {
    find: (userId: string): Promise<ProfileProgressRow | undefined> => db.select().from(profileProgress).where(eq(profileProgress.userId, userId)).get(),
    /** Counts one completed login in a single upsert (two parallel logins both count) and returns the new state. */
    countLogin: async (userId: string, now: number): Promise<ProfileProgressRow> => {
      const row = await db
        .insert(profileProgress)
        .values({ userId, loginCount: 1, updatedAt: now })
        .onConflictDoUpdate({ target: profileProgress.userId, set: { loginCount: sql`${profileProgress.loginCount} + 1`, updatedAt: now } })
        .returning()
        .get();
      return row;
    },
    /** Remembers that the customer chose "Not now" at their current login count. */
    skip: (userId: string, now: number) =>
      db
        .insert(profileProgress)
        .values({ userId, loginCount: 0, skippedAtLogin: 0, updatedAt: now })
        .onConflictDoUpdate({ target: profileProgress.userId, set: { skippedAtLogin: sql`${profileProgress.loginCount}`, updatedAt: now } })
        .run(),
  };
}

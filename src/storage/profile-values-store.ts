import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "./db";
import { profileValues } from "./schema";

/** A customer's profile answers in D1 (see profile-schema-tables.ts). */
export function profileValuesStore(db: Database) {
  return {
    /** Every stored answer of a user, by field key. */
    async all(userId: string): Promise<Record<string, unknown>> {
      const rows = await db.select({ key: profileValues.key, value: profileValues.value }).from(profileValues).where(eq(profileValues.userId, userId)).all();
      return Object.fromEntries(rows.map((row) => [row.key, row.value]));
    },
    /** The statements of one save (for a single `db.batch` with its audit entry): upsert `set`, delete `clear`. */
    saveStatements(userId: string, changes: { set: Record<string, unknown>; clear: string[] }, now: number) {
      const upserts = Object.entries(changes.set).map(([key, value]) =>
        db
          .insert(profileValues)
          .values({ userId, key, value, updatedAt: now })
          .onConflictDoUpdate({ target: [profileValues.userId, profileValues.key], set: { value, updatedAt: now } }),
      );
      const deletes =
        changes.clear.length > 0 ? [db.delete(profileValues).where(and(eq(profileValues.userId, userId), inArray(profileValues.key, changes.clear)))] : [];
      return [...upserts, ...deletes];
    },
  };
}

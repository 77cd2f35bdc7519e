import { eq } from "drizzle-orm";
import type { Database } from "./db";
import { settings } from "./schema";

/** Runtime settings an operator changes through the admin API, one JSON object per key. */
export function settingsStore(db: Database) {
  return {
    get: async (key: string): Promise<Record<string, unknown> | null> =>
      (await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get())?.value ?? null,
    put: (key: string, value: Record<string, unknown>, now: number) =>
      db
        .insert(settings)
        .values({ key, value, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
        .run(),
  };
}

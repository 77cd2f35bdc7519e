import { eq, inArray } from "drizzle-orm";
import { branding } from "./branding-schema";
import type { Database } from "./db";

export const GLOBAL_BRANDING = "global";
export const clientBrandingScope = (clientId: string) => `client:${clientId}`;

/** Branding documents by scope (the global default, one app's overrides). */
export function brandingStore(db: Database) {
  return {
    get: async (scope: string): Promise<Record<string, unknown> | null> =>
      (await db.select({ value: branding.value }).from(branding).where(eq(branding.scope, scope)).get())?.value ?? null,
    /** Both documents a page needs, in one query. */
    getMany: async (scopes: string[]): Promise<Map<string, Record<string, unknown>>> => {
      const rows = await db.select().from(branding).where(inArray(branding.scope, scopes)).all();
      return new Map(rows.map((row) => [row.scope, row.value]));
    },
    put: (scope: string, value: Record<string, unknown>, now: number) =>
      db
        .insert(branding)
        .values({ scope, value, updatedAt: now })
        .onConflictDoUpdate({ target: branding.scope, set: { value, updatedAt: now } })
        .run(),
    delete: async (scope: string): Promise<boolean> =>
      (await db.delete(branding).where(eq(branding.scope, scope)).returning({ scope: branding.scope })).length > 0,
  };
}

import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Branding documents: `scope` is `global` (the deployment's default) or `client:<client_id>` (one app's
 * overrides). `value` is the validated, CSS-sanitized document (services/branding/branding-model.ts).
 */
export const branding = sqliteTable("branding", {
  scope: text("scope").primaryKey(),
  value: text("value", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
  updatedAt: integer("updated_at").notNull(),
});

export type BrandingRow = typeof branding.$inferSelect;

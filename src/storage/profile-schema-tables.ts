import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./schema";

/**
 * A customer's answers to the operator's profile schema, one row per field. `value` is the JSON of a value
 * that passed services/profile/values.ts (a string, a boolean or an address object); rows are written only
 * in one batch per save, so a refused form stores nothing. Values of fields later removed from the schema
 * stay here but are neither shown nor released as claims.
 */
export const profileValues = sqliteTable(
  "profile_values",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value", { mode: "json" }).notNull().$type<unknown>(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] })],
);

/**
 * Per-user progressive-profiling state: completed logins (for "ask after N logins") and the login count at
 * which the customer last chose "Not now" (optional fields then rest for a few logins).
 */
export const profileProgress = sqliteTable("profile_progress", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  loginCount: integer("login_count").notNull().default(0),
  skippedAtLogin: integer("skipped_at_login"),
  updatedAt: integer("updated_at").notNull(),
});

export type ProfileValueRow = typeof profileValues.$inferSelect;
export type ProfileProgressRow = typeof profileProgress.$inferSelect;

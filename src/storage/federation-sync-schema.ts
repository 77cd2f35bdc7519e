import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { federatedIdentities } from "./federation-schema";

/**
 * What an upstream identity last mapped into the profile (attribute mapping on every login). A later login
 * compares the account's value with it: equal means the customer has not edited the field since, so the
 * upstream's new value may replace it (`attribute_sync: "unless_edited"`). Deleted with the identity.
 * The profile-schema values are in `profile` (one JSON object: they are read and written together).
 */
export const federatedProfileSync = sqliteTable("federated_profile_sync", {
  identityId: text("identity_id")
    .primaryKey()
    .references(() => federatedIdentities.id, { onDelete: "cascade" }),
  name: text("name"),
  email: text("email"),
  locale: text("locale"),
  /** Profile-schema fields (JSON object: field key → the normalized value this identity last mapped). */
  profile: text("profile", { mode: "json" }).$type<Record<string, unknown>>(),
  updatedAt: integer("updated_at").notNull(),
});

export type FederatedProfileSyncRow = typeof federatedProfileSync.$inferSelect;

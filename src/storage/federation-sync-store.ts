import { eq } from "drizzle-orm";
import type { Database } from "./db";
import { type FederatedProfileSyncRow, federatedProfileSync } from "./federation-sync-schema";

/** The upstream values each identity last mapped into its account's profile. */
export function federationSyncStore(db: Database) {
  return {
    find: (identityId: string): Promise<FederatedProfileSyncRow | undefined> =>
      db.select().from(federatedProfileSync).where(eq(federatedProfileSync.identityId, identityId)).get(),
    /** Upsert, as a statement for the caller's batch. */
    saveStatement: (row: FederatedProfileSyncRow) =>
      db
        .insert(federatedProfileSync)
        .values(row)
        .onConflictDoUpdate({
          target: federatedProfileSync.identityId,
          set: { name: row.name, email: row.email, locale: row.locale, profile: row.profile, updatedAt: row.updatedAt },
        }),
  };
}

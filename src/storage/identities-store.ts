import { and, asc, eq } from "drizzle-orm";
import type { Database } from "./db";
import { type FederatedIdentityRow, federatedIdentities } from "./schema";

export type NewFederatedIdentity = typeof federatedIdentities.$inferInsert;

/** Upstream identities linked to accounts, looked up by (`iss`, `sub`) only. */
export function identitiesStore(db: Database) {
  return {
    findBySubject: (iss: string, sub: string): Promise<FederatedIdentityRow | undefined> =>
      db
        .select()
        .from(federatedIdentities)
        .where(and(eq(federatedIdentities.iss, iss), eq(federatedIdentities.sub, sub)))
        .get(),
    listForUser: (userId: string): Promise<FederatedIdentityRow[]> =>
      db.select().from(federatedIdentities).where(eq(federatedIdentities.userId, userId)).orderBy(asc(federatedIdentities.createdAt)).all(),
    insertStatement: (row: NewFederatedIdentity) => db.insert(federatedIdentities).values(row),
    touch: (id: string, at: number, email: string | null) =>
      db.update(federatedIdentities).set({ lastUsedAt: at, email }).where(eq(federatedIdentities.id, id)).run(),
    /** Deletes one identity of this user; false when it is not theirs. */
    deleteForUser: async (userId: string, id: string): Promise<boolean> =>
      (
        await db
          .delete(federatedIdentities)
          .where(and(eq(federatedIdentities.id, id), eq(federatedIdentities.userId, userId)))
          .returning({ id: federatedIdentities.id })
          .all()
      ).length > 0,
  };
}

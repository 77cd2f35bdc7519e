import { asc, eq } from "drizzle-orm";
import type { Database } from "./db";
import { type IdentityProviderRow, identityProviders } from "./schema";

export type NewIdentityProvider = typeof identityProviders.$inferInsert;

/** Operator-configured upstream identity providers in D1. */
export function identityProvidersStore(db: Database) {
  return {
    find: (id: string): Promise<IdentityProviderRow | undefined> => db.select().from(identityProviders).where(eq(identityProviders.id, id)).get(),
    list: (): Promise<IdentityProviderRow[]> => db.select().from(identityProviders).orderBy(asc(identityProviders.id)).all(),
    listEnabled: (): Promise<IdentityProviderRow[]> =>
      db.select().from(identityProviders).where(eq(identityProviders.enabled, true)).orderBy(asc(identityProviders.id)).all(),
    insert: (row: NewIdentityProvider) => db.insert(identityProviders).values(row).returning().get(),
    update: (id: string, changes: Partial<NewIdentityProvider>) =>
      db.update(identityProviders).set(changes).where(eq(identityProviders.id, id)).returning().get(),
    delete: async (id: string): Promise<boolean> =>
      (await db.delete(identityProviders).where(eq(identityProviders.id, id)).returning({ id: identityProviders.id }).all()).length > 0,
  };
}

import { and, asc, eq, lt, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type WebauthnCredentialRow, webauthnCredentials } from "./mfa-schema";

export type NewWebauthnCredential = typeof webauthnCredentials.$inferInsert;

/** The user's passkeys, oldest first (the admin API and the account page list them). */
export function listPasskeys(db: Database, userId: string): Promise<WebauthnCredentialRow[]> {
  return db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)).orderBy(asc(webauthnCredentials.createdAt)).all();
}

/** Deletes one passkey of this user (another user's id deletes nothing); returns the deleted row. */
export function deletePasskey(db: Database, userId: string, id: string): Promise<WebauthnCredentialRow | undefined> {
  return db
    .delete(webauthnCredentials)
    .where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, userId)))
    .returning()
    .get();
}

/** Passkeys (WebAuthn credentials) in D1. The credential ID is the primary key, so one can be registered only once. */
export function webauthnCredentialsStore(db: Database) {
  return {
    list: (userId: string) => listPasskeys(db, userId),
    delete: (userId: string, id: string) => deletePasskey(db, userId, id),
    findById: (id: string): Promise<WebauthnCredentialRow | undefined> => db.select().from(webauthnCredentials).where(eq(webauthnCredentials.id, id)).get(),
    count: async (userId: string): Promise<number> =>
      (await db.select({ n: sql<number>`count(*)` }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)).get())?.n ?? 0,
    insertStatement: (row: NewWebauthnCredential) => db.insert(webauthnCredentials).values(row),
    rename: (userId: string, id: string, name: string): Promise<WebauthnCredentialRow | undefined> =>
      db
        .update(webauthnCredentials)
        .set({ name })
        .where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, userId)))
        .returning()
        .get(),
    /**
     * Records a verified use. The counter only moves forward: the condition makes two racing assertions
     * with the same counter settle on one winner (the loser gets undefined and is refused as a replay).
     */
    recordUse: (id: string, use: { counter: number; backedUp: boolean; now: number }): Promise<WebauthnCredentialRow | undefined> =>
      db
        .update(webauthnCredentials)
        .set({ signCount: use.counter, backedUp: use.backedUp, lastUsedAt: use.now })
        .where(and(eq(webauthnCredentials.id, id), use.counter > 0 ? lt(webauthnCredentials.signCount, use.counter) : sql`1 = 1`))
        .returning()
        .get(),
    /** Keeps the warning that a counter went backwards (a possibly cloned authenticator) for the risk engine. */
    markCounterRegressed: (id: string, now: number) =>
      db.update(webauthnCredentials).set({ counterRegressedAt: now }).where(eq(webauthnCredentials.id, id)).run(),
  };
}

export type WebauthnCredentialsStore = ReturnType<typeof webauthnCredentialsStore>;

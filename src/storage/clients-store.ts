import { and, asc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type ClientRow, clients, initialAccessTokens, refreshTokens, usedJtis } from "./oidc-schema";

export type NewClientRow = typeof clients.$inferInsert;
export type InitialAccessTokenRow = typeof initialAccessTokens.$inferSelect;

/** OAuth clients in D1: metadata as JSON (wire names), the secret and the registration access token as SHA-256 hashes. */
export function clientsStore(db: Database) {
  return {
    findById: (clientId: string): Promise<ClientRow | undefined> => db.select().from(clients).where(eq(clients.clientId, clientId)).get(),
    insertStatement: (row: NewClientRow) => db.insert(clients).values(row),
    updateStatement: (clientId: string, changes: Partial<NewClientRow>) => db.update(clients).set(changes).where(eq(clients.clientId, clientId)),
    deleteStatement: (clientId: string) => db.delete(clients).where(eq(clients.clientId, clientId)),
    /** A deleted client's refresh tokens die with it (its access tokens run out on their own). */
    revokeRefreshTokensStatement: (clientId: string, now: number) =>
      db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.clientId, clientId), isNull(refreshTokens.revokedAt))),
    deleteJtisStatement: (clientId: string) => db.delete(usedJtis).where(eq(usedJtis.clientId, clientId)),
    /** Keyset paging by client id. */
    list: (options: { after?: string; limit: number }): Promise<ClientRow[]> =>
      db
        .select()
        .from(clients)
        .where(options.after ? gt(clients.clientId, options.after) : undefined)
        .orderBy(asc(clients.clientId))
        .limit(options.limit)
        .all(),
  };
}

/**
 * `jti` values of client assertions (RFC 7523 §3 item 7). One statement records a jti and fails on a replay:
 * the insert conflicts with a live row and updates nothing; a row whose assertion has expired is taken over,
 * since that assertion can no longer be presented anyway.
 */
export function usedJtisStore(db: Database) {
  return {
    /** True when the jti was new (or its old record had expired); false on a replay. */
    record: async (clientId: string, jti: string, expiresAt: number, now: number): Promise<boolean> => {
      const row = await db
        .insert(usedJtis)
        .values({ clientId, jti, expiresAt })
        .onConflictDoUpdate({ target: [usedJtis.clientId, usedJtis.jti], set: { expiresAt }, setWhere: lt(usedJtis.expiresAt, now) })
        .returning({ jti: usedJtis.jti })
        .get();
      return row !== undefined;
    },
    /** Housekeeping for a scheduled job: forget jtis whose assertions have expired. */
    purgeExpiredStatement: (now: number) => db.delete(usedJtis).where(lt(usedJtis.expiresAt, now)),
  };
}

/** Initial access tokens for Dynamic Client Registration (RFC 7591 §3), stored as SHA-256 hashes. */
export function initialAccessTokensStore(db: Database) {
  const live = (tokenHash: string, now: number) =>
    and(eq(initialAccessTokens.tokenHash, tokenHash), gt(initialAccessTokens.expiresAt, now), isNull(initialAccessTokens.usedAt));
  return {
    insertStatement: (row: typeof initialAccessTokens.$inferInsert) => db.insert(initialAccessTokens).values(row),
    /** The token if it is unexpired and (when single use) unused; reading does not consume it. */
    findLive: (tokenHash: string, now: number): Promise<InitialAccessTokenRow | undefined> =>
      db.select().from(initialAccessTokens).where(live(tokenHash, now)).get(),
    /**
     * Consumes a single-use token: exactly one of two concurrent registrations gets the row. A multi-use token
     * is never marked used (it simply expires), so the update leaves it alone and still returns it.
     */
    consume: (tokenHash: string, now: number): Promise<InitialAccessTokenRow | undefined> =>
      db
        .update(initialAccessTokens)
        .set({ usedAt: sql`CASE WHEN ${initialAccessTokens.singleUse} THEN ${now} ELSE NULL END` })
        .where(live(tokenHash, now))
        .returning()
        .get(),
  };
}

import { and, eq, gt, isNotNull, isNull, lte } from "drizzle-orm";
import type { Database } from "./db";
import { type AuthorizationCodeRow, authorizationCodes, consents, pushedRequests, type RefreshTokenRow, refreshTokens, sessionClients } from "./oidc-schema";

/** Authorization codes, refresh tokens, consents, pushed requests and session→client links in D1. */
export function oauthGrantsStore(db: Database) {
  return {
    insertCodeStatement: (row: typeof authorizationCodes.$inferInsert) => db.insert(authorizationCodes).values(row),
    /** The single-use step: exactly one of two concurrent redemptions gets the row. */
    redeemCode: (codeHash: string, now: number): Promise<AuthorizationCodeRow | undefined> =>
      db
        .update(authorizationCodes)
        .set({ usedAt: now })
        .where(and(eq(authorizationCodes.codeHash, codeHash), isNull(authorizationCodes.usedAt)))
        .returning()
        .get(),
    findCode: (codeHash: string): Promise<AuthorizationCodeRow | undefined> =>
      db.select().from(authorizationCodes).where(eq(authorizationCodes.codeHash, codeHash)).get(),
    setCodeFamily: (codeHash: string, familyId: string) => db.update(authorizationCodes).set({ familyId }).where(eq(authorizationCodes.codeHash, codeHash)),

    insertRefreshStatement: (row: typeof refreshTokens.$inferInsert) => db.insert(refreshTokens).values(row),
    findRefresh: (tokenHash: string): Promise<RefreshTokenRow | undefined> =>
      db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).get(),
    /** Marks a refresh token rotated; returns it only if it was live, so concurrent rotations serialize here. */
    rotateRefresh: (tokenHash: string, now: number): Promise<RefreshTokenRow | undefined> =>
      db
        .update(refreshTokens)
        .set({ rotatedAt: now })
        .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, now)))
        .returning()
        .get(),
    revokeFamilyStatement: (familyId: string, now: number) =>
      db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt))),
    revokeByUserStatement: (userId: string, now: number) =>
      db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt))),
    revokeByUserAndClientStatement: (userId: string, clientId: string, now: number) =>
      db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.clientId, clientId), isNull(refreshTokens.revokedAt))),
    revokeBySessionStatement: (sessionId: string, now: number) =>
      db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.sessionId, sessionId), isNull(refreshTokens.revokedAt))),
    /** A family is revoked as a whole, so one revoked member means the family is dead. */
    familyRevoked: async (familyId: string): Promise<boolean> =>
      (await db
        .select({ tokenHash: refreshTokens.tokenHash })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.familyId, familyId), isNotNull(refreshTokens.revokedAt)))
        .get()) !== undefined,

    findConsent: (userId: string, clientId: string) =>
      db
        .select()
        .from(consents)
        .where(and(eq(consents.userId, userId), eq(consents.clientId, clientId), isNull(consents.revokedAt)))
        .get(),
    upsertConsentStatement: (userId: string, clientId: string, scopes: string, now: number) =>
      db
        .insert(consents)
        .values({ userId, clientId, scopes, grantedAt: now, lastUsedAt: now })
        .onConflictDoUpdate({ target: [consents.userId, consents.clientId], set: { scopes, grantedAt: now, lastUsedAt: now, revokedAt: null } }),
    touchConsentStatement: (userId: string, clientId: string, now: number) =>
      db
        .update(consents)
        .set({ lastUsedAt: now })
        .where(and(eq(consents.userId, userId), eq(consents.clientId, clientId))),
    listConsents: (userId: string) =>
      db
        .select()
        .from(consents)
        .where(and(eq(consents.userId, userId), isNull(consents.revokedAt)))
        .all(),
    revokeConsentStatement: (userId: string, clientId: string, now: number) =>
      db
        .update(consents)
        .set({ revokedAt: now })
        .where(and(eq(consents.userId, userId), eq(consents.clientId, clientId), isNull(consents.revokedAt))),

    insertPushedStatement: (row: typeof pushedRequests.$inferInsert) => db.insert(pushedRequests).values(row),
    findPushed: (requestUriHash: string, now: number) =>
      db
        .select()
        .from(pushedRequests)
        .where(and(eq(pushedRequests.requestUriHash, requestUriHash), isNull(pushedRequests.usedAt), gt(pushedRequests.expiresAt, now)))
        .get(),
    usePushedStatement: (requestUriHash: string, now: number) =>
      db
        .update(pushedRequests)
        .set({ usedAt: now })
        .where(and(eq(pushedRequests.requestUriHash, requestUriHash), isNull(pushedRequests.usedAt))),
    deleteExpiredPushedStatement: (now: number) => db.delete(pushedRequests).where(lte(pushedRequests.expiresAt, now)),

    linkSessionClientStatement: (sessionId: string, clientId: string, userId: string, now: number) =>
      db.insert(sessionClients).values({ sessionId, clientId, userId, createdAt: now }).onConflictDoNothing(),
    clientsOfSession: (sessionId: string) => db.select().from(sessionClients).where(eq(sessionClients.sessionId, sessionId)).all(),
    clientsOfUser: (userId: string) => db.select().from(sessionClients).where(eq(sessionClients.userId, userId)).all(),
    unlinkSessionStatement: (sessionId: string) => db.delete(sessionClients).where(eq(sessionClients.sessionId, sessionId)),
  };
}

export type OAuthGrantsStore = ReturnType<typeof oauthGrantsStore>;

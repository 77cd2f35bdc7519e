import { and, eq, gt, lte } from "drizzle-orm";
import type { Database } from "./db";
import { type WebauthnChallengeRow, webauthnChallenges } from "./mfa-schema";

export type ChallengePurpose = WebauthnChallengeRow["purpose"];
export type NewChallenge = typeof webauthnChallenges.$inferInsert;

/**
 * WebAuthn challenges in D1, keyed by the challenge itself: a discoverable login has no user yet, and D1
 * reads are strongly consistent (KV's are not). A challenge is taken with one `DELETE … RETURNING`, so of
 * two requests presenting the same challenge exactly one gets the row.
 */
export function webauthnChallengesStore(db: Database) {
  return {
    insert: (row: NewChallenge) => db.insert(webauthnChallenges).values(row).run(),
    /** Reads a live row without using it up (the sign-up link's page and its ceremonies). */
    find: (challenge: string, purpose: ChallengePurpose, now: number): Promise<WebauthnChallengeRow | undefined> =>
      db
        .select()
        .from(webauthnChallenges)
        .where(and(eq(webauthnChallenges.challenge, challenge), eq(webauthnChallenges.purpose, purpose), gt(webauthnChallenges.expiresAt, now)))
        .get(),
    /** The single-use step: deletes and returns the row if it is still live; expired rows are never handed out. */
    take: (challenge: string, now: number): Promise<WebauthnChallengeRow | undefined> =>
      db
        .delete(webauthnChallenges)
        .where(and(eq(webauthnChallenges.challenge, challenge), gt(webauthnChallenges.expiresAt, now)))
        .returning()
        .get(),
    /** For the daily cron: expired rows are dead weight (they can no longer be taken). */
    purgeExpiredStatement: (now: number) => db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAt, now)),
  };
}

export type WebauthnChallengesStore = ReturnType<typeof webauthnChallengesStore>;

import { and, eq, gt, gte, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "./db";
import { type NewSignupRequest, type SignupRequestRow, signupRequests } from "./signup-schema";

/**
 * Passwordless sign-ups waiting for their proof, in D1 (strongly consistent): counting an attempt, proving
 * the phone and using the request up are each one conditional UPDATE, never a read followed by a write.
 */
export function signupRequestsStore(db: Database) {
  const open = (now: number) => and(isNull(signupRequests.consumedAt), gt(signupRequests.expiresAt, now));
  return {
    insert: (row: NewSignupRequest) => db.insert(signupRequests).values(row).run(),
    /** Any request by id, open or not (the browser's cookie names it; the caller checks the binding). */
    findById: (id: string): Promise<SignupRequestRow | undefined> => db.select().from(signupRequests).where(eq(signupRequests.id, id)).get(),
    findOpenByTokenHash: (tokenHash: string, now: number): Promise<SignupRequestRow | undefined> =>
      db
        .select()
        .from(signupRequests)
        .where(and(eq(signupRequests.tokenHash, tokenHash), open(now)))
        .get(),
    /** Counts one code attempt; the new count, or undefined when the request is closed or has no tries left (so parallel guesses cannot exceed `max`). */
    countAttempt: async (id: string, now: number, max: number): Promise<number | undefined> =>
      (
        await db
          .update(signupRequests)
          .set({ attempts: sql`${signupRequests.attempts} + 1` })
          .where(and(eq(signupRequests.id, id), open(now), lt(signupRequests.attempts, max)))
          .returning({ attempts: signupRequests.attempts })
          .get()
      )?.attempts,
    /**
     * The texted code came back: the phone is proven and the request moves to its email step (a new code,
     * the link token, fresh tries and lifetime). Only one caller can do it.
     */
    provePhone: (id: string, next: { codeHash: string; tokenHash: string; expiresAt: number }, now: number): Promise<SignupRequestRow | undefined> =>
      db
        .update(signupRequests)
        .set({ phoneVerifiedAt: now, codeHash: next.codeHash, tokenHash: next.tokenHash, attempts: 0, expiresAt: next.expiresAt })
        .where(and(eq(signupRequests.id, id), open(now), isNull(signupRequests.phoneVerifiedAt)))
        .returning()
        .get(),
    /** The single-use step: only one caller can set `consumed_at`, so two parallel completions create one account. */
    consume: (id: string, now: number): Promise<SignupRequestRow | undefined> =>
      db
        .update(signupRequests)
        .set({ consumedAt: now })
        .where(and(eq(signupRequests.id, id), open(now)))
        .returning()
        .get(),
    /** Sign-up requests for `email` since `since`: the per-address cap on sign-up mails. */
    countForEmailSince: async (email: string, since: number): Promise<number> =>
      (
        await db
          .select({ n: sql<number>`count(*)` })
          .from(signupRequests)
          .where(and(eq(signupRequests.email, email), gte(signupRequests.createdAt, since)))
          .get()
      )?.n ?? 0,
    /** Daily clean-up: requests that expired a day ago (kept that long for the per-address cap and "already used" answers). */
    purgeExpiredStatement: (now: number) => db.delete(signupRequests).where(lt(signupRequests.expiresAt, now - 24 * 3600 * 1000)),
  };
}

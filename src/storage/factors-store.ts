import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "./db";
import { pushSubscriptions, recoveryCodes, totpFactors, webauthnCredentials } from "./schema";

/** How many of each second factor an account has: the read behind the factor chooser and the security overview. */
export interface FactorCounts {
  passkeys: number;
  totp: number;
  recoveryCodes: number;
  push: number;
}

/** Cross-factor reads and the admin's reset; each factor's own store owns its other queries. */
export function factorsStore(db: Database) {
  return {
    counts: async (userId: string): Promise<FactorCounts> => {
      const [passkeys, totp, codes, push] = await db.batch([
        db.select({ n: count() }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)),
        db
          .select({ n: count() })
          .from(totpFactors)
          .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt))),
        db
          .select({ n: count() })
          .from(recoveryCodes)
          .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
        db.select({ n: count() }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)),
      ]);
      return { passkeys: passkeys[0]?.n ?? 0, totp: totp[0]?.n ?? 0, recoveryCodes: codes[0]?.n ?? 0, push: push[0]?.n ?? 0 };
    },
    /** Everything enrolled, for the operator's view (no secrets: names, dates, kinds). */
    details: async (userId: string) => {
      const [passkeys, totp, codes, push] = await db.batch([
        db
          .select({
            id: webauthnCredentials.id,
            name: webauthnCredentials.name,
            createdAt: webauthnCredentials.createdAt,
            lastUsedAt: webauthnCredentials.lastUsedAt,
            deviceType: webauthnCredentials.deviceType,
            backedUp: webauthnCredentials.backedUp,
          })
          .from(webauthnCredentials)
          .where(eq(webauthnCredentials.userId, userId)),
        db
          .select({ createdAt: totpFactors.createdAt, confirmedAt: totpFactors.confirmedAt })
          .from(totpFactors)
          .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt))),
        db
          .select({ n: count(), createdAt: recoveryCodes.createdAt })
          .from(recoveryCodes)
          .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
        db
          .select({ id: pushSubscriptions.id, name: pushSubscriptions.name, createdAt: pushSubscriptions.createdAt, lastUsedAt: pushSubscriptions.lastUsedAt })
          .from(pushSubscriptions)
          .where(eq(pushSubscriptions.userId, userId)),
      ]);
      return { passkeys, totp: totp[0] ?? null, recoveryCodes: codes[0]?.n ? { remaining: codes[0].n, createdAt: codes[0].createdAt } : null, push };
    },
    /** Removes every second factor at once (an operator's MFA reset); one batch, so nothing is half-removed. */
    deleteAll: async (userId: string): Promise<void> => {
      await db.batch([
        db.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)),
        db.delete(totpFactors).where(eq(totpFactors.userId, userId)),
        db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
        db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)),
      ]);
    },
  };
}

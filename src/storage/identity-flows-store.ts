import { and, eq, gt, lt } from "drizzle-orm";
import type { Database } from "./db";
import { type FederationPendingLinkRow, type FederationStateRow, federationPendingLinks, federationStates } from "./schema";

/** Authorization requests in flight and identities waiting for their account's owner to log in. */
export function identityFlowsStore(db: Database) {
  return {
    saveState: (row: FederationStateRow) => db.insert(federationStates).values(row).run(),
    /** Takes a state once: two parallel callbacks with the same `state` cannot both get the row. */
    takeState: (stateHash: string, now: number): Promise<FederationStateRow | undefined> =>
      db
        .delete(federationStates)
        .where(and(eq(federationStates.stateHash, stateHash), gt(federationStates.expiresAt, now)))
        .returning()
        .get(),
    savePendingLink: (row: FederationPendingLinkRow) => db.insert(federationPendingLinks).values(row).run(),
    findPendingLink: (tokenHash: string, now: number): Promise<FederationPendingLinkRow | undefined> =>
      db
        .select()
        .from(federationPendingLinks)
        .where(and(eq(federationPendingLinks.tokenHash, tokenHash), gt(federationPendingLinks.expiresAt, now)))
        .get(),
    takePendingLink: (tokenHash: string, now: number): Promise<FederationPendingLinkRow | undefined> =>
      db
        .delete(federationPendingLinks)
        .where(and(eq(federationPendingLinks.tokenHash, tokenHash), gt(federationPendingLinks.expiresAt, now)))
        .returning()
        .get(),
    /** Removes expired rows (called opportunistically when a flow starts). */
    sweep: async (now: number): Promise<void> => {
      await db.batch([
        db.delete(federationStates).where(lt(federationStates.expiresAt, now)),
        db.delete(federationPendingLinks).where(lt(federationPendingLinks.expiresAt, now)),
      ]);
    },
  };
}

import { and, eq, inArray, lt } from "drizzle-orm";
import type { Database } from "./db";
import { type SigningKeyRow, signingKeys } from "./oidc-schema";

/** Signing keys in D1. */
export function signingKeysStore(db: Database) {
  return {
    listPublished: (): Promise<SigningKeyRow[]> =>
      db
        .select()
        .from(signingKeys)
        .where(inArray(signingKeys.status, ["next", "active", "retired"]))
        .all(),
    insertStatement: (row: typeof signingKeys.$inferInsert) => db.insert(signingKeys).values(row),
    setStatusStatement: (kid: string, status: SigningKeyRow["status"], at: number) =>
      db
        .update(signingKeys)
        .set(status === "active" ? { status, activatedAt: at } : status === "retired" ? { status, retiredAt: at } : { status })
        .where(eq(signingKeys.kid, kid)),
    deleteRetiredBeforeStatement: (before: number) => db.delete(signingKeys).where(and(eq(signingKeys.status, "retired"), lt(signingKeys.retiredAt, before))),
  };
}

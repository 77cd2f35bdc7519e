import { and, eq, sql } from "drizzle-orm";
import { randomId } from "../../lib/random";
import { isUniqueViolation } from "../../storage/db";
import { type UserRow, users } from "../../storage/schema";
import { signupRequestsStore } from "../../storage/signup-requests-store";
import type { SignupRequestRow } from "../../storage/signup-schema";
import { usersStore } from "../../storage/users-store";
import { amrFor, mergeAmr } from "../auth/methods";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";

export type SignupCompletion =
  | { outcome: "created"; user: UserRow; amr: string[]; returnTo: string | null }
  /** Used up meanwhile (a parallel completion won) or expired. */
  | { outcome: "invalid" }
  /** An account with the address appeared since the request was made: log in instead. */
  | { outcome: "taken" };

/**
 * The address is proven (code or link): uses the request up (one conditional UPDATE, so of two parallel
 * completions exactly one goes on) and creates the account in one batch: address verified, no password,
 * the phone (SMS sign-up) verified unless another account already holds that number, and the audit events.
 */
export async function completeSignup(deps: Deps, row: SignupRequestRow, how: "code" | "link", request: RequestContext): Promise<SignupCompletion> {
  const now = deps.clock();
  const used = await signupRequestsStore(deps.db).consume(row.id, now);
  if (!used) return { outcome: "invalid" };
  const userId = randomId();
  const phone = used.method === "sms" && used.phone && used.phoneVerifiedAt ? used.phone : null;
  const details = { method: used.method, proof: how };
  try {
    await deps.db.batch([
      usersStore(deps.db).insertStatement({
        id: userId,
        email: used.email,
        emailVerified: true,
        name: used.name,
        passwordHash: null,
        locale: used.locale,
        createdAt: now,
        updatedAt: now,
      }),
      // A number verified on another account is not attached twice; checked inside the statement, so no race slips in between.
      ...(phone
        ? [
            deps.db
              .update(users)
              .set({ phone, phoneVerified: true, factorsChangedAt: now })
              .where(and(eq(users.id, userId), sql`not exists (select 1 from ${users} where ${users.phone} = ${phone} and ${users.phoneVerified} = 1)`)),
          ]
        : []),
      deps.audit.statement({ type: "user.signup", outcome: "success", actorType: "anonymous", userId, details }, request),
      deps.audit.statement(
        { type: "user.email_verified", outcome: "success", actorType: "user", actorId: userId, userId, details: { method: `signup_${how}` } },
        request,
      ),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await deps.audit.record({ type: "user.signup", outcome: "failure", actorType: "anonymous", details: { ...details, reason: "email_taken" } }, request);
    return { outcome: "taken" };
  }
  const user = await usersStore(deps.db).findById(userId);
  if (!user) return { outcome: "invalid" };
  if (phone) {
    const attached = user.phoneVerified && user.phone === phone;
    await deps.audit.record(
      attached
        ? { type: "mfa.factor_added", outcome: "success", actorType: "user", actorId: userId, userId, details: { factor: "sms", via: "signup" } }
        : { type: "mfa.phone_not_attached", outcome: "failure", actorType: "anonymous", userId, details: { ...details, reason: "phone_taken" } },
      request,
    );
  }
  // The browser proved the phone (texted code) and the mailbox (link or code) in this one sign-up: two factors.
  const amr = user.phoneVerified ? mergeAmr(amrFor("sms"), amrFor("email"), true) : amrFor("email");
  return { outcome: "created", user, amr, returnTo: used.returnTo };
}

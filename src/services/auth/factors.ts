import { factorsStore } from "../../storage/factors-store";
import type { UserRow } from "../../storage/schema";
import type { Deps } from "../deps";
import type { FactorKind } from "./methods";

/** Order in which factors are offered when the user has no preference: strongest and most convenient first. */
const DEFAULT_ORDER: readonly FactorKind[] = ["passkey", "push", "totp", "sms", "email", "recovery_code"];

/**
 * What the user can use as a second factor now, their preferred one first. Email counts when the address
 * is verified (so "MFA required" never strands anyone); a phone when its number is verified.
 */
export async function secondFactorsOf(deps: Pick<Deps, "db">, user: UserRow, exclude: readonly FactorKind[]): Promise<FactorKind[]> {
  const counts = await factorsStore(deps.db).counts(user.id);
  const has: Record<FactorKind, boolean> = {
    password: false,
    // An upstream identity provider is a first factor only.
    federated: false,
    passkey: counts.passkeys > 0,
    push: counts.push > 0,
    totp: counts.totp > 0,
    sms: Boolean(user.phone) && user.phoneVerified,
    email: user.emailVerified,
    recovery_code: counts.recoveryCodes > 0,
  };
  const available = DEFAULT_ORDER.filter((kind) => has[kind] && !exclude.includes(kind));
  const preferred = available.find((kind) => kind === user.preferredFactor);
  return preferred ? [preferred, ...available.filter((kind) => kind !== preferred)] : available;
}

/** Whether the user enrolled anything beyond the password and email (the "optional" policy asks only them). */
export async function hasEnrolledSecondFactor(deps: Pick<Deps, "db">, user: UserRow): Promise<boolean> {
  const counts = await factorsStore(deps.db).counts(user.id);
  return counts.passkeys + counts.totp + counts.push > 0 || (Boolean(user.phone) && user.phoneVerified);
}

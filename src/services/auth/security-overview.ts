import { factorsStore } from "../../storage/factors-store";
import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { secondFactorsOf } from "./factors";
import type { FactorKind } from "./methods";

/** The account page's "Security" section: what is set up, and which second factor is offered first. */
export interface SecurityOverview {
  passkeys: number;
  totp: boolean;
  recoveryCodes: number;
  phone: string | null;
  phoneVerified: boolean;
  push: number;
  preferred: FactorKind | null;
  /** Second factors the user can pick as preferred. */
  choices: FactorKind[];
}

export async function securityOverview(deps: Pick<Deps, "db">, user: UserRow): Promise<SecurityOverview> {
  const [counts, choices] = await Promise.all([factorsStore(deps.db).counts(user.id), secondFactorsOf(deps, user, [])]);
  return {
    passkeys: counts.passkeys,
    totp: counts.totp > 0,
    recoveryCodes: counts.recoveryCodes,
    phone: user.phone,
    phoneVerified: user.phoneVerified,
    push: counts.push,
    preferred: choices.find((kind) => kind === user.preferredFactor) ?? null,
    choices: choices.filter((kind) => kind !== "recovery_code"),
  };
}

/** Sets the factor offered first at the second step; only one the user actually has. */
export async function choosePreferredFactor(deps: Pick<Deps, "db" | "clock">, user: UserRow, choice: unknown): Promise<boolean> {
  const choices = await secondFactorsOf(deps, user, ["recovery_code"]);
  if (!choices.includes(choice as FactorKind)) return false;
  await usersStore(deps.db).update(user.id, { preferredFactor: choice as FactorKind, updatedAt: deps.clock() });
  return true;
}

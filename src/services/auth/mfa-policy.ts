import type { UserRow } from "../../storage/schema";
import { settingsStore } from "../../storage/settings-store";
import type { Deps } from "../deps";
import type { RiskDecision } from "../risk/engine";
import type { ClientRiskPolicy } from "../risk/policy";
import { hasEnrolledSecondFactor } from "./factors";
import { acrFor, acrSatisfies } from "./methods";
import { DEFAULT_MFA_POLICY, MFA_POLICIES, type MfaPolicy } from "./mfa-policies";

const SETTINGS_KEY = "mfa";

/** The operator's global default (`PUT /admin/v1/settings/mfa`). */
export async function globalMfaPolicy(deps: Pick<Deps, "db">): Promise<MfaPolicy> {
  const value = (await settingsStore(deps.db).get(SETTINGS_KEY))?.policy;
  return (MFA_POLICIES as readonly unknown[]).includes(value) ? (value as MfaPolicy) : DEFAULT_MFA_POLICY;
}

export async function setGlobalMfaPolicy(deps: Pick<Deps, "db" | "clock">, policy: MfaPolicy): Promise<void> {
  await settingsStore(deps.db).put(SETTINGS_KEY, { policy }, deps.clock());
}

/** What the login is for: the app, its own policies and the level it asked for, when it came through /authorize. */
export interface LoginPurpose {
  clientId: string | null;
  clientPolicy: MfaPolicy | null;
  clientRisk: ClientRiskPolicy | null;
  requiredAcr: string | null;
}

export type SecondFactorDecision = { needed: false } | { needed: true; reason: "acr" | "required" | "enrolled" | "risk" };

/**
 * Whether a login that proved `amr` must add a second factor. An app's `acr_values` always wins; then
 * the app's policy, else the global one.
 */
export async function decideSecondFactor(
  deps: Pick<Deps, "db">,
  user: UserRow,
  amr: readonly string[],
  purpose: LoginPurpose,
  risk: RiskDecision,
): Promise<SecondFactorDecision> {
  const achieved = acrFor(amr);
  if (purpose.requiredAcr && !acrSatisfies(achieved, purpose.requiredAcr)) return { needed: true, reason: "acr" };
  if (amr.includes("mfa")) return { needed: false };
  const policy = purpose.clientPolicy ?? (await globalMfaPolicy(deps));
  switch (policy) {
    case "required":
      return { needed: true, reason: "required" };
    case "optional":
      return (await hasEnrolledSecondFactor(deps, user)) ? { needed: true, reason: "enrolled" } : { needed: false };
    case "adaptive":
      // The risk engine decides (services/risk): a second factor only when the login looks unusual.
      return risk === "allow" ? { needed: false } : { needed: true, reason: "risk" };
    default:
      return { needed: false };
  }
}

import type { VelocityFacts } from "../context";
import { type RiskReason, reason } from "../vocabulary";

/** Where counts become suspicious; the guards' own limits (backoff, source blocks) stay the hard stop. */
export const VELOCITY_THRESHOLDS = {
  accountFailures: 3,
  accountSources: 3,
  sourceFailures: 5,
  sourceAccounts: 3,
} as const;

export interface SurgeThresholds {
  /** Failed logins per minute across the service above which a surge is declared. */
  failuresPerMinute: number;
  signupsPerMinute: number;
}

/** Reasons from counts; `forSignup` looks at the sign-up rate instead of the account's failures. */
export function velocitySignals(velocity: VelocityFacts, surge: SurgeThresholds, forSignup = false): RiskReason[] {
  const reasons: RiskReason[] = [];
  if (!forSignup && velocity.accountFailures >= VELOCITY_THRESHOLDS.accountFailures) reasons.push(reason("account_failures"));
  if (!forSignup && velocity.accountSources >= VELOCITY_THRESHOLDS.accountSources) reasons.push(reason("account_many_sources"));
  if (velocity.sourceFailures >= VELOCITY_THRESHOLDS.sourceFailures) reasons.push(reason("source_failures"));
  if (velocity.sourceAccounts >= VELOCITY_THRESHOLDS.sourceAccounts) reasons.push(reason("source_many_accounts"));
  if (velocity.globalFailuresPerMinute >= surge.failuresPerMinute) reasons.push(reason("failure_surge"));
  if (forSignup && velocity.globalSignupsPerMinute >= surge.signupsPerMinute) reasons.push(reason("signup_surge"));
  return reasons;
}

import type { RiskMark, RiskProfile } from "../../../durable/risk-profile";
import type { FactorKind } from "../../auth/methods";
import { type RiskReason, type RiskReasonCode, reason } from "../vocabulary";

const RECENT_MS = 24 * 3600 * 1000;

export interface CredentialSignals {
  firstFactor: FactorKind | null;
  commonPassword: boolean;
  recentPasswordReset: boolean;
  recentFactorAdded: boolean;
  pushDenied: boolean;
  passkeyCounterRegression: boolean;
}

const MARK_REASONS: [RiskMark, RiskReasonCode][] = [
  ["password_reset", "recent_password_reset"],
  ["factor_added", "recent_factor_added"],
  ["push_denied", "push_denied"],
  ["passkey_counter_regression", "passkey_counter_regression"],
];

export function credentialSignals(
  profile: RiskProfile,
  firstFactor: FactorKind | null,
  commonPassword: boolean,
  now: number,
): { signals: CredentialSignals; reasons: RiskReason[] } {
  const recent = (mark: RiskMark) => {
    const at = profile.marks[mark];
    return at !== undefined && now - at <= RECENT_MS && at <= now;
  };
  const reasons: RiskReason[] = MARK_REASONS.filter(([mark]) => recent(mark)).map(([, code]) => reason(code));
  if (commonPassword) reasons.push(reason("common_password"));
  // A passkey proves possession and user verification and cannot be phished: it outweighs a new device.
  if (firstFactor === "passkey") reasons.push(reason("passkey"));
  return {
    signals: {
      firstFactor,
      commonPassword,
      recentPasswordReset: recent("password_reset"),
      recentFactorAdded: recent("factor_added"),
      pushDenied: recent("push_denied"),
      passkeyCounterRegression: recent("passkey_counter_regression"),
    },
    reasons,
  };
}

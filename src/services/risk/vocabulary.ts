/**
 * Every reason the risk engine can give, with the points it adds to the score (0–100) and the sentence
 * operators and customers see. Negative points are mitigations. docs/risk.md documents this table; a test
 * checks both agree.
 */
export const RISK_REASONS = {
  new_device: { points: 30, message: "First login from this device" },
  device_mismatch: { points: 25, message: "A known device cookie arrived from a different browser or system" },
  new_country: { points: 25, message: "First login from this country" },
  new_network: { points: 10, message: "First login from this network (ASN)" },
  impossible_travel: { points: 50, message: "Too far from the last login for the time between them" },
  hosting_network: { points: 20, message: "Login from a hosting or cloud network" },
  anonymizer_network: { points: 25, message: "Login through a VPN or anonymising network" },
  bot_likely: { points: 40, message: "The edge thinks this client is likely automated" },
  bot_certain: { points: 70, message: "The edge thinks this client is automated" },
  legacy_tls: { points: 10, message: "An outdated TLS version" },
  account_failures: { points: 15, message: "Recent failed logins on this account" },
  account_many_sources: { points: 20, message: "Failed logins on this account from many places" },
  source_failures: { points: 15, message: "Recent failed logins from this source" },
  source_many_accounts: { points: 25, message: "This source failed on several accounts" },
  failure_surge: { points: 15, message: "Failed logins are surging across the service" },
  signup_surge: { points: 15, message: "Sign-ups are surging across the service" },
  common_password: { points: 20, message: "The password is on the list of common or breached passwords" },
  recent_password_reset: { points: 10, message: "The password was reset in the last 24 hours" },
  recent_factor_added: { points: 10, message: "A sign-in method was added in the last 24 hours" },
  push_denied: { points: 25, message: "A push approval was denied in the last 24 hours" },
  passkey_counter_regression: { points: 40, message: "A passkey's signature counter went backwards (possible clone)" },
  unusual_hour: { points: 10, message: "An unusual time of day for this account" },
  dormant_account: { points: 15, message: "First login after a long time" },
  passkey: { points: -30, message: "Logged in with a passkey (phishing-resistant)" },
} as const;

export type RiskReasonCode = keyof typeof RISK_REASONS;

export interface RiskReason {
  code: RiskReasonCode;
  message: string;
  points: number;
}

export function reason(code: RiskReasonCode): RiskReason {
  const entry = RISK_REASONS[code];
  return { code, message: entry.message, points: entry.points };
}

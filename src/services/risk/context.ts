import type { RiskProfile } from "../../durable/risk-profile";
import type { EdgeFacts } from "../../lib/edge-facts";
import type { FactorKind } from "../auth/methods";

/** Failure counts the guards already hold for this login: the login name's, the source's and the whole service's. */
export interface VelocityFacts {
  /** Failed logins on this login name in the last day, and from how many distinct sources. */
  accountFailures: number;
  accountSources: number;
  /** Failed logins from this source (IPv4 address or IPv6 /64) within its window, and on how many accounts. */
  sourceFailures: number;
  sourceAccounts: number;
  /** Across the service, per minute over the last few minutes (a sharded counter; rotating IPs defeat per-IP counting). */
  globalFailuresPerMinute: number;
  globalSignupsPerMinute: number;
}

export const NO_VELOCITY: VelocityFacts = {
  accountFailures: 0,
  accountSources: 0,
  sourceFailures: 0,
  sourceAccounts: 0,
  globalFailuresPerMinute: 0,
  globalSignupsPerMinute: 0,
};

/** Everything one risk decision looks at. Pure data: the engine does no I/O, so a decision costs microseconds. */
export interface RiskContext {
  now: number;
  edge: EdgeFacts;
  userAgent: string | null;
  /** The browser's verified device id; null when it has no (valid) device cookie yet. */
  deviceId: string | null;
  /** The first factor of this login, when it is a login (null for a what-if without one). */
  firstFactor: FactorKind | null;
  /** Whether the password typed is a common or breached one (password logins only). */
  commonPassword: boolean;
  velocity: VelocityFacts;
  /** The account's history, from its `UserGuard`. */
  profile: RiskProfile;
}

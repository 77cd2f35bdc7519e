/** Per-account login failure state, kept in the account's `UserGuard`. */
export interface LoginThrottleState {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export interface LoginThrottlePolicy {
  failuresBeforeBackoff: number;
  maxBackoffSeconds: number;
}

/** After this long without a failure the count starts again. */
export const FAILURE_MEMORY_MS = 24 * 3600 * 1000;

export const emptyThrottle: LoginThrottleState = { failures: 0, lastFailureAt: 0, blockedUntil: 0 };

/**
 * Exponential backoff, never a lockout: after `failuresBeforeBackoff` failures each further one doubles
 * the wait (1 s, 2 s, 4 s …) up to `maxBackoffSeconds`. An attacker can slow a victim's login but never
 * lock it for good, and a password reset clears it.
 */
export function afterFailure(state: LoginThrottleState, now: number, policy: LoginThrottlePolicy): LoginThrottleState {
  const failures = now - state.lastFailureAt > FAILURE_MEMORY_MS ? 1 : state.failures + 1;
  const excess = failures - policy.failuresBeforeBackoff;
  const delaySeconds = excess < 0 ? 0 : Math.min(2 ** Math.min(excess, 30), policy.maxBackoffSeconds);
  return { failures, lastFailureAt: now, blockedUntil: delaySeconds > 0 ? now + delaySeconds * 1000 : 0 };
}

/** Seconds until the next attempt is allowed, 0 when it is allowed now. */
export function retryAfterSeconds(state: LoginThrottleState, now: number): number {
  return state.blockedUntil > now ? Math.ceil((state.blockedUntil - now) / 1000) : 0;
}

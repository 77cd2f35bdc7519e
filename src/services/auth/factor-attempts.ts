import { askGuard } from "../../storage/guards";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { FactorKind } from "./methods";

/**
 * Every second-factor and one-time-code attempt is counted in the account's `UserGuard`, across codes
 * and resends: after a few failures each further one doubles the wait (as for passwords), so a
 * six-digit code cannot be brute-forced by asking for new codes.
 */
export function checkFactorAttempt(deps: Pick<Deps, "guards" | "clock">, userId: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  return askGuard(() => deps.guards.user(userId).checkFactor(deps.clock()));
}

export async function recordFactorFailure(
  deps: Pick<Deps, "guards" | "clock" | "config" | "audit">,
  userId: string,
  factor: FactorKind,
  request: RequestContext,
): Promise<{ retryAfterSeconds: number }> {
  const policy = { failuresBeforeBackoff: deps.config.login.accountFailuresBeforeBackoff, maxBackoffSeconds: deps.config.login.accountMaxBackoffSeconds };
  const result = await askGuard(() => deps.guards.user(userId).recordFactorFailure(deps.clock(), policy));
  await deps.audit.record(
    {
      type: "mfa.failed",
      outcome: "failure",
      actorType: "anonymous",
      userId,
      details: { factor, failures: result.failures, retry_after_seconds: result.retryAfterSeconds },
    },
    request,
  );
  return { retryAfterSeconds: result.retryAfterSeconds };
}

export function clearFactorFailures(deps: Pick<Deps, "guards">, userId: string): Promise<void> {
  return askGuard(() => deps.guards.user(userId).clearFactorFailures());
}

import { sha256Hex } from "../../lib/hashing";
import { askGuard } from "../../storage/guards";
import { checkFactorAttempt, recordFactorFailure } from "../auth/factor-attempts";
import type { FactorKind } from "../auth/methods";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";

/**
 * Who a code attempt is counted against. For an account, its `UserGuard` (the per-account cap across
 * codes and resends). For an address without an account, the guard of that login name, with the same
 * backoff: throttling then looks the same whether or not the account exists, so it reveals nothing.
 * Both also count against the source (IpGuard), like password failures, against spraying codes over many accounts.
 */
export interface CodeAttemptTarget {
  userId: string | null;
  email: string;
  /** A passwordless sign-up's code (no account yet): audited as such rather than as an unknown account's login. */
  signup?: boolean;
}

export async function checkCodeAttempt(
  deps: Deps,
  target: CodeAttemptTarget,
  request: RequestContext,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const now = deps.clock();
  const [byAccount, bySource] = await Promise.all([
    target.userId ? checkFactorAttempt(deps, target.userId) : askGuard(async () => deps.guards.login(await sha256Hex(target.email)).checkFactor(now)),
    askGuard(() => deps.guards.ip(request.ip).checkLogin(now)),
  ]);
  return { allowed: byAccount.allowed && bySource.allowed, retryAfterSeconds: Math.max(byAccount.retryAfterSeconds, bySource.retryAfterSeconds) };
}

export async function recordCodeFailure(deps: Deps, target: CodeAttemptTarget, factor: FactorKind, request: RequestContext): Promise<void> {
  const now = deps.clock();
  const emailHash = await sha256Hex(target.email);
  const login = deps.config.login;
  await Promise.all([
    target.userId ? recordFactorFailure(deps, target.userId, factor, request) : recordUnknownFailure(deps, emailHash, factor, request, target.signup === true),
    askGuard(() =>
      deps.guards.ip(request.ip).recordLoginFailure(now, emailHash, {
        failureLimit: login.ipFailureLimit,
        accountLimit: login.ipAccountLimit,
        windowSeconds: login.ipWindowSeconds,
      }),
    ),
  ]);
}

/** The unknown address's counterpart of `recordFactorFailure`: the same guard call and the same audit write, so it costs the same. */
async function recordUnknownFailure(deps: Deps, emailHash: string, factor: FactorKind, request: RequestContext, signup: boolean): Promise<void> {
  const login = deps.config.login;
  const policy = { failuresBeforeBackoff: login.accountFailuresBeforeBackoff, maxBackoffSeconds: login.accountMaxBackoffSeconds };
  const result = await askGuard(() => deps.guards.login(emailHash).recordFactorFailure(deps.clock(), policy));
  await deps.audit.record(
    {
      type: "mfa.failed",
      outcome: "failure",
      actorType: "anonymous",
      details: { factor, reason: signup ? "wrong_signup_code" : "unknown_account", failures: result.failures },
    },
    request,
  );
}

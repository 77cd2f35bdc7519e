import { ipLimiterKey } from "../lib/client-ip";
import { normalizeEmail } from "../lib/email";
import { utf8 } from "../lib/encoding";
import { sha256Hex } from "../lib/hashing";
import { askGuard } from "../storage/guards";
import type { UserRow } from "../storage/schema";
import { usersStore } from "../storage/users-store";
import type { Deps } from "./deps";
import { sendVerificationIfUnverified } from "./email-verification";
import { isCommonPassword } from "./password-policy";
import type { RequestContext } from "./request-context";
import type { FirstFactorFacts } from "./risk/assess-login";
import { countGlobalEvent } from "./risk/global-rates";

export type LoginResult =
  | { outcome: "authenticated"; user: UserRow; facts: FirstFactorFacts }
  | { outcome: "failed" }
  | { outcome: "throttled"; retryAfterSeconds: number }
  | { outcome: "unverified" };

/**
 * A valid hash of a random password with the current parameters: unknown accounts are checked
 * against it so they cost the same time as known ones.
 */
const DUMMY_HASH = "$pbkdf2-sha256$v=1$i=100000$3q2-7wABAgMEBQYHCAkKCw$bm90LWEtcmVhbC1oYXNoLWp1c3QtZm9yLXRpbWluZyE";

/**
 * Email + password, the first factor. Order matters: both guards (per login name and per source) are asked before
 * any hash is computed, so throttled attackers cannot burn CPU; unknown addresses, wrong passwords and
 * disabled accounts all end in the same `failed` after the same work.
 */
export async function logIn(
  deps: Deps,
  input: {
    email: unknown;
    password: unknown;
    /** The login's journey (validated by the route), remembered by a verification link sent now. */
    returnTo?: string;
  },
  request: RequestContext,
  browser: { deviceId: string | null } = { deviceId: null },
): Promise<LoginResult> {
  const email = normalizeEmail(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  if (!email || password.length === 0 || utf8.encode(password).length > deps.config.password.maxBytes) return { outcome: "failed" };

  const now = deps.clock();
  const emailHash = await sha256Hex(email);
  const loginGuard = deps.guards.login(emailHash);
  const ipGuard = deps.guards.ip(request.ip);
  const [byName, bySource] = await askGuard(() => Promise.all([loginGuard.checkLogin(now, browser.deviceId), ipGuard.checkLogin(now)]));
  if (!byName.allowed || !bySource.allowed) {
    const retryAfterSeconds = Math.max(byName.retryAfterSeconds, bySource.retryAfterSeconds);
    await deps.audit.record(
      { type: "user.login_throttled", outcome: "failure", actorType: "anonymous", details: { by: byName.allowed ? "ip" : "account" } },
      request,
    );
    return { outcome: "throttled", retryAfterSeconds };
  }

  const user = await usersStore(deps.db).findByEmail(email);
  const { valid, needsRehash } = await deps.hasher.verify(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !valid || !user.passwordHash || user.status !== "active") {
    const policy = deps.config.login;
    const [byNameAfter, bySourceAfter] = await askGuard(() =>
      Promise.all([
        loginGuard.recordLoginFailure(
          now,
          { failuresBeforeBackoff: policy.accountFailuresBeforeBackoff, maxBackoffSeconds: policy.accountMaxBackoffSeconds },
          { source: ipLimiterKey(request.ip), deviceId: browser.deviceId },
        ),
        ipGuard.recordLoginFailure(now, emailHash, {
          failureLimit: policy.ipFailureLimit,
          accountLimit: policy.ipAccountLimit,
          windowSeconds: policy.ipWindowSeconds,
        }),
      ]),
    );
    countGlobalEvent(deps, "login_failure");
    const reason = !user ? "unknown_account" : user.status !== "active" ? "disabled" : "wrong_password";
    await deps.audit.record({ type: "user.login", outcome: "failure", actorType: "anonymous", userId: user?.id, details: { reason } }, request);
    if (byNameAfter.retryAfterSeconds > 0 || bySourceAfter.blocked) {
      const details = { by: bySourceAfter.blocked ? "ip" : "account", failures: byNameAfter.failures, retry_after_seconds: byNameAfter.retryAfterSeconds };
      await deps.audit.record({ type: "user.locked_out", outcome: "failure", actorType: "system", userId: user?.id, details }, request);
    }
    return { outcome: "failed" };
  }

  await askGuard(() => loginGuard.clearLoginFailures(browser.deviceId, now));
  if (!user.emailVerified && deps.config.unverifiedLogin === "verify_first") {
    deps.defer(sendVerificationIfUnverified(deps, email, request, input.returnTo));
    await deps.audit.record(
      { type: "user.login", outcome: "failure", actorType: "user", actorId: user.id, userId: user.id, details: { reason: "email_unverified" } },
      request,
    );
    return { outcome: "unverified" };
  }
  if (needsRehash) {
    // Parameters rose since this hash was made: upgrade it now that we know the password.
    await usersStore(deps.db).update(user.id, { passwordHash: await deps.hasher.hash(password), updatedAt: now });
  }
  // The password is right: the caller applies the MFA policy and starts the session (routes/auth-flow.ts).
  const facts: FirstFactorFacts = {
    factor: "password",
    commonPassword: isCommonPassword(password),
    velocity: { accountFailures: byName.failures, accountSources: byName.sources, sourceFailures: bySource.failures, sourceAccounts: bySource.accounts },
  };
  return { outcome: "authenticated", user, facts };
}

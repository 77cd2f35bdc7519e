import type { IpVelocityPolicy } from "../../../src/durable/ip-velocity";
import type { LoginThrottlePolicy } from "../../../src/durable/login-throttle";
import { ipLimiterKey } from "../../../src/lib/client-ip";
import { edgeFacts } from "../../../src/lib/edge-facts";
import type { RequestContext } from "../../../src/services/request-context";
import { observationOf } from "../../../src/services/risk/assess-login";
import { NO_VELOCITY, type VelocityFacts } from "../../../src/services/risk/context";
import { assessLogin } from "../../../src/services/risk/engine";
import { GLOBAL_SHARDS } from "../../../src/services/risk/global-rates";
import { DEFAULT_RISK_POLICY, type RiskPolicy } from "../../../src/services/risk/policy";
import type { Attempt, Outcome, Scenario } from "../scenarios/model";
import type { GuardPort } from "./guards";

/** The login limits of src/config.ts's defaults (a worker-tier test checks they still agree). */
export const LOGIN_DEFAULTS = {
  accountFailuresBeforeBackoff: 5,
  accountMaxBackoffSeconds: 900,
  ipFailureLimit: 50,
  ipAccountLimit: 20,
  ipWindowSeconds: 3600,
};

/** global-rates.ts: the rate is the average over 5 minutes, and an isolate reuses what it read for 15 s. */
const RATE_MINUTES = 5;
const RATE_CACHE_MS = 15_000;

export interface AttemptResult {
  attempt: Attempt;
  outcome: Outcome;
  score: number | null;
  reasons: string[];
  /** Seconds the guard asked the browser to wait, and which guard (throttled attempts). */
  retryAfterSeconds: number;
  throttledBy: "login_name" | "source" | null;
}

export interface ScenarioResult {
  scenario: Scenario;
  /** Every attempt, warm-up included, in time order. */
  results: AttemptResult[];
}

/**
 * Replays one journey through the real modules with a simulated clock, in the order a password or
 * passkey login takes them (src/services/login.ts `logIn`, then src/routes/auth-flow.ts
 * `continueAfterFirstFactor`/`completeSecondFactor`, under the `adaptive` MFA policy):
 * 1. password: the login-name guard and the source guard are asked first; either may answer 429;
 * 2. wrong credentials: both guards count the failure, the sharded service-wide counter too; no decision;
 * 3. right credentials: the login-name backoff clears (and the device gets its own lane), then the engine
 *    scores the attempt from the edge facts, the device, the velocity counts read in step 1, the cached
 *    service-wide rate and the account's profile;
 * 4. allow starts a session (the profile learns the login); step_up does so only if the second factor
 *    passes; deny changes nothing.
 * Account events (password reset, factor added) are applied at their time, as their services do.
 */
export async function replay(scenario: Scenario, guards: GuardPort, policy: RiskPolicy = DEFAULT_RISK_POLICY): Promise<ScenarioResult> {
  const throttle: LoginThrottlePolicy = {
    failuresBeforeBackoff: LOGIN_DEFAULTS.accountFailuresBeforeBackoff,
    maxBackoffSeconds: LOGIN_DEFAULTS.accountMaxBackoffSeconds,
  };
  const sourcePolicy: IpVelocityPolicy = {
    failureLimit: LOGIN_DEFAULTS.ipFailureLimit,
    accountLimit: LOGIN_DEFAULTS.ipAccountLimit,
    windowSeconds: LOGIN_DEFAULTS.ipWindowSeconds,
  };
  // One isolate's cache of the service-wide rate: read in the background once older than 15 s, so the
  // login that triggers the read still sees the previous value (zero before the first read).
  let rateCache: { at: number; perMinute: number } | null = null;
  let failuresCounted = 0;
  const globalRate = async (now: number): Promise<number> => {
    const seen = rateCache?.perMinute ?? 0;
    if (!rateCache || now - rateCache.at > RATE_CACHE_MS) rateCache = { at: now, perMinute: (await guards.globalFailures(RATE_MINUTES, now)) / RATE_MINUTES };
    return seen;
  };

  type Step = { at: number; order: number; run: () => Promise<AttemptResult | null> };
  const steps: Step[] = [];
  for (const event of scenario.events ?? []) {
    steps.push({
      at: event.at,
      order: steps.length,
      run: async () => {
        const now = scenario.start + event.at;
        await guards.markRisk(event.account, event.event, now);
        // A password reset also clears the login name's backoff (src/services/password-reset.ts).
        if (event.event === "password_reset") await guards.clearLoginFailures(event.account, null, now);
        return null;
      },
    });
  }
  for (const attempt of scenario.attempts) {
    steps.push({ at: attempt.at, order: steps.length, run: () => replayAttempt(attempt) });
  }

  async function replayAttempt(attempt: Attempt): Promise<AttemptResult> {
    const now = scenario.start + attempt.at;
    const factor = attempt.factor ?? "password";
    const source = ipLimiterKey(attempt.ip);
    const result = (outcome: Outcome, extra: Partial<AttemptResult> = {}): AttemptResult => ({
      attempt,
      outcome,
      score: null,
      reasons: [],
      retryAfterSeconds: 0,
      throttledBy: null,
      ...extra,
    });
    let velocity: Partial<VelocityFacts> = {};
    if (factor === "password") {
      const [byName, bySource] = await Promise.all([guards.checkLogin(attempt.account, now, attempt.device), guards.checkSource(source, now)]);
      if (!byName.allowed || !bySource.allowed) {
        return result("throttled", {
          retryAfterSeconds: Math.max(byName.retryAfterSeconds, bySource.retryAfterSeconds),
          throttledBy: byName.allowed ? "source" : "login_name",
        });
      }
      if (attempt.credentials !== "right") {
        await guards.recordLoginFailure(attempt.account, now, throttle, { source, deviceId: attempt.device });
        await guards.recordSourceFailure(source, now, attempt.account, sourcePolicy);
        await guards.countGlobalFailure(failuresCounted++ % GLOBAL_SHARDS, now);
        return result("failed");
      }
      await guards.clearLoginFailures(attempt.account, attempt.device, now);
      velocity = { accountFailures: byName.failures, accountSources: byName.sources, sourceFailures: bySource.failures, sourceAccounts: bySource.accounts };
    } else if (attempt.credentials !== "right") {
      // A passkey assertion that fails is a second-factor failure of the account (not the login name's
      // backoff); a cloned one is remembered for a day (src/services/passkeys/assertions.ts).
      if (attempt.credentials === "cloned_passkey") await guards.markRisk(attempt.account, "passkey_counter_regression", now);
      return result("failed");
    }

    const edge = edgeFacts(attempt.cf);
    const request: RequestContext = { ip: attempt.ip, userAgent: attempt.userAgent, country: edge.country, edge, requestId: "replay", locale: "en" };
    const globalFailuresPerMinute = await globalRate(now);
    const assessment = assessLogin(
      {
        now,
        edge: request.edge,
        userAgent: request.userAgent,
        deviceId: attempt.device,
        firstFactor: factor,
        commonPassword: attempt.commonPassword ?? false,
        velocity: { ...NO_VELOCITY, ...velocity, globalFailuresPerMinute, globalSignupsPerMinute: 0 },
        profile: await guards.riskProfile(attempt.account),
      },
      policy,
    );
    const scored = { score: assessment.score, reasons: assessment.reasons.map((item) => item.code) };
    if (assessment.decision === "step_up") {
      const second = attempt.secondFactor ?? (attempt.who === "legit" ? "passes" : "fails");
      if (second === "passes") await guards.recordLogin(attempt.account, observationOf(request, attempt.device, now));
      // The owner tapped "deny" on the push approval (src/services/push/approvals.ts).
      if (second === "push_denied") await guards.markRisk(attempt.account, "push_denied", now);
    } else if (assessment.decision === "allow") {
      await guards.recordLogin(attempt.account, observationOf(request, attempt.device, now));
    }
    return result(assessment.decision, scored);
  }

  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  const results: AttemptResult[] = [];
  for (const step of steps) {
    const done = await step.run();
    if (done) results.push(done);
  }
  return { scenario, results };
}

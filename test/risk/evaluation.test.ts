import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import riskDoc from "../../docs/risk.md?raw";
import { loadConfig } from "../../src/config";
import { durableGuards } from "./replay/durable-guards";
import { memoryGuards } from "./replay/guards";
import { replayAll } from "./replay/replay-all";
import { checkedExpectations, counted, normalizeMarkdown, ratesOf, renderReport, reportSection } from "./replay/report";
import { LOGIN_DEFAULTS, replay, type ScenarioResult } from "./replay/runner";
import { SCENARIOS } from "./scenarios";
import { meets } from "./scenarios/model";

/** The bounds docs/risk.md promises for the scenario set (see its Evaluation section). */
const BOUNDS = { unexpectedChallengeRate: 0.05, missedAttackRate: 0.05 };

const mirrored = replayAll();

function outcomes(results: ScenarioResult[]) {
  return results.map((result) => ({ journey: result.scenario.id, outcomes: result.results.map((item) => [item.outcome, item.score, item.reasons.join(",")]) }));
}

describe("risk evaluation: replayed journeys", () => {
  it("has at least 30 journeys with distinct ids, each with something to check", () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(SCENARIOS.map((scenario) => scenario.id)).size).toBe(SCENARIOS.length);
    for (const scenario of SCENARIOS)
      expect(
        scenario.attempts.some((attempt) => !attempt.warmup),
        scenario.id,
      ).toBe(true);
  });

  it("ends every attempt as its journey expects (known gaps as recorded)", async () => {
    for (const result of await mirrored) {
      const actual = counted(result).map((item) => item.outcome);
      const expected = checkedExpectations(result);
      expect(actual.length, result.scenario.id).toBe(expected.length);
      const misses = actual.flatMap((outcome, index) => {
        const expectation = expected[index];
        return expectation && meets(outcome, expectation) ? [] : [`#${index}: ${outcome}, expected ${expectation}`];
      });
      expect(misses, result.scenario.id).toEqual([]);
    }
  });

  it("a known gap still differs from its expectation (otherwise the gap is closed: remove it)", async () => {
    for (const result of (await mirrored).filter((item) => item.scenario.knownGap)) {
      expect(
        counted(result).some((item) => !meets(item.outcome, item.attempt.expect)),
        result.scenario.id,
      ).toBe(true);
    }
  });

  it("never refuses a legitimate login, nor throttles one on a device that logged in before, while attackers hammer the account", async () => {
    for (const result of await mirrored) {
      const trusted = new Map<string, Set<string>>();
      for (const item of result.results) {
        const { attempt } = item;
        const devices = trusted.get(attempt.account) ?? new Set<string>();
        if (attempt.who === "legit" && attempt.credentials === "right") {
          if (!result.scenario.knownGap) expect(item.outcome, `${result.scenario.id} at ${attempt.at}`).not.toBe("deny");
          if (devices.has(attempt.device)) expect(item.throttledBy, `${result.scenario.id} at ${attempt.at}`).not.toBe("login_name");
          // A device without a lane of its own waits, but never longer than the backoff's cap: no lockout.
          if (item.throttledBy === "login_name") expect(item.retryAfterSeconds).toBeLessThanOrEqual(LOGIN_DEFAULTS.accountMaxBackoffSeconds);
        }
        if (attempt.who === "legit" && (item.outcome === "allow" || item.outcome === "step_up")) devices.add(attempt.device);
        trusted.set(attempt.account, devices);
      }
    }
  });

  it("keeps the false-challenge and missed-attack rates within the documented bounds", async () => {
    const rates = ratesOf(await mirrored);
    expect(rates.legitimateLogins).toBeGreaterThan(40);
    expect(rates.attackerLoginsWithRightCredentials).toBeGreaterThan(40);
    expect(rates.legitimateChallengedUnexpected / rates.legitimateLogins).toBeLessThanOrEqual(BOUNDS.unexpectedChallengeRate);
    expect(rates.attackerAllowed / rates.attackerLoginsWithRightCredentials).toBeLessThanOrEqual(BOUNDS.missedAttackRate);
    // Exactly one attack is expected to pass: the stolen, unlocked laptop (no signal can tell).
    expect(rates.attackerAllowed).toBe(1);
  });

  it("docs/risk.md shows the table and rates of this replay (regenerate: node scripts/risk-report.mjs)", async () => {
    expect(normalizeMarkdown(reportSection(riskDoc) ?? "")).toBe(normalizeMarkdown(renderReport(await mirrored)));
  });

  it("replays with the login limits the worker is configured with", () => {
    const config = loadConfig(env as unknown as Record<string, unknown>);
    expect(config.login).toEqual(LOGIN_DEFAULTS);
  });
});

/**
 * Each journey once more on the real Durable Objects. Journeys over many accounts create thousands of
 * objects (minutes in the local runtime), so they stay on the mirror; the ones checked here cover every
 * guard path: backoff lanes, source blocks, failure sources, marks, the profile and the global counter.
 */
const SMALL_JOURNEYS = SCENARIOS.filter((scenario) => new Set(scenario.attempts.map((attempt) => attempt.account)).size <= 30);

describe("risk evaluation: the replay's guard mirror matches the real Durable Objects", () => {
  it("covers most journeys", () => {
    expect(SMALL_JOURNEYS.length).toBeGreaterThanOrEqual(SCENARIOS.length - 3);
  });

  it.each(SMALL_JOURNEYS.map((scenario) => [scenario.id, scenario] as const))("%s: same outcome, score and reasons", async (_, scenario) => {
    const [real, mirror] = await Promise.all([replay(scenario, durableGuards(scenario.id)), replay(scenario, memoryGuards())]);
    expect(outcomes([real])).toEqual(outcomes([mirror]));
  });

  it("loses no counter or profile when the Durable Objects restart mid-journey", async () => {
    const scenario = SCENARIOS.find((item) => item.id === "hammered-botnet");
    if (!scenario) throw new Error("journey missing");
    const real = durableGuards("restarting");
    let calls = 0;
    let restarts = 0;
    let inFlight = 0;
    let restartDue = false;
    // About every 20th guard call first restarts every Durable Object (in-memory state gone, storage kept),
    // at a moment when no call is running (a restart fails the calls in flight, which a login turns into a 503).
    const restarting = new Proxy(real, {
      get:
        (target, name: keyof typeof real) =>
        async (...args: unknown[]) => {
          if (++calls % 20 === 0) restartDue = true;
          if (restartDue && inFlight === 0) {
            restartDue = false;
            restarts++;
            await abortAllDurableObjects();
          }
          inFlight++;
          try {
            return await (target[name] as (...a: unknown[]) => Promise<unknown>)(...args);
          } finally {
            inFlight--;
          }
        },
    });
    const [restarted, mirror] = await Promise.all([replay(scenario, restarting), replay(scenario, memoryGuards())]);
    expect(restarts).toBeGreaterThan(5);
    expect(outcomes([restarted])).toEqual(outcomes([mirror]));
  });
});

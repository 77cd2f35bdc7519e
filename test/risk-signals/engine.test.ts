import { describe, expect, it } from "vitest";
import { emptyRiskProfile } from "../../src/durable/risk-profile";
import { NO_VELOCITY, type RiskContext } from "../../src/services/risk/context";
import { assessLogin, assessSource, decisionFor } from "../../src/services/risk/engine";
import { DEFAULT_RISK_POLICY, withClientOverrides } from "../../src/services/risk/policy";
import { BERLIN, edge, FIREFOX_WINDOWS, HOUR, historyOf, SYDNEY, T0 } from "./support";

function context(overrides: Partial<RiskContext>): RiskContext {
  return {
    now: T0 + 20 * HOUR,
    edge: edge(BERLIN),
    userAgent: FIREFOX_WINDOWS,
    deviceId: "device-a",
    firstFactor: "password",
    commonPassword: false,
    velocity: NO_VELOCITY,
    profile: historyOf(BERLIN, "device-a", 5, T0),
    ...overrides,
  };
}

describe("risk engine", () => {
  it("allows the usual login with score 0", () => {
    const result = assessLogin(context({}), DEFAULT_RISK_POLICY);
    expect(result).toMatchObject({ decision: "allow", score: 0, reasons: [] });
  });

  it("steps up a new device and denies a thief from the other side of the world", () => {
    expect(assessLogin(context({ deviceId: "device-b" }), DEFAULT_RISK_POLICY)).toMatchObject({ decision: "step_up", score: 30 });
    const thief = assessLogin(context({ deviceId: "device-b", edge: edge({ ...SYDNEY, asn: 16509 }), now: T0 + 3 * HOUR }), DEFAULT_RISK_POLICY);
    expect(thief.decision).toBe("deny");
    expect(thief.score).toBe(100);
    expect(thief.reasons[0]?.code).toBe("impossible_travel");
  });

  it("lets a passkey on a new device through: trusted authenticator outweighs the new device", () => {
    expect(assessLogin(context({ deviceId: "device-b", firstFactor: "passkey" }), DEFAULT_RISK_POLICY)).toMatchObject({ decision: "allow", score: 0 });
  });

  it("clamps the score to 0–100 and orders reasons by weight", () => {
    const worst = assessLogin(
      context({ deviceId: null, edge: edge({ ...SYDNEY, asn: 9009, botScore: 2 }), now: T0 + HOUR, commonPassword: true }),
      DEFAULT_RISK_POLICY,
    );
    expect(worst.score).toBe(100);
    const points = worst.reasons.map((item) => item.points);
    expect([...points].sort((a, b) => b - a)).toEqual(points);
    expect(assessLogin(context({ firstFactor: "passkey" }), DEFAULT_RISK_POLICY).score).toBe(0);
  });

  it("applies an app's thresholds over the global ones, never with deny below step-up", () => {
    const strict = withClientOverrides(DEFAULT_RISK_POLICY, { step_up_at: 10, deny_at: 5 });
    expect(strict).toMatchObject({ stepUpAt: 10, denyAt: 10 });
    expect(decisionFor(10, strict)).toBe("deny");
    expect(decisionFor(29, DEFAULT_RISK_POLICY)).toBe("allow");
    expect(decisionFor(30, DEFAULT_RISK_POLICY)).toBe("step_up");
    expect(decisionFor(85, DEFAULT_RISK_POLICY)).toBe("deny");
  });

  it("scores a source before anyone is identified", () => {
    expect(assessSource({ edge: edge({ asn: 16509, botScore: 20 }), velocity: NO_VELOCITY }, DEFAULT_RISK_POLICY, false).score).toBe(60);
    expect(assessSource({ edge: edge({}), velocity: { ...NO_VELOCITY, globalSignupsPerMinute: 99 } }, DEFAULT_RISK_POLICY, true).reasons[0]?.code).toBe(
      "signup_surge",
    );
  });

  it("has no history-based reasons on an account's first login", () => {
    expect(assessLogin(context({ profile: emptyRiskProfile(), deviceId: null, edge: edge(SYDNEY) }), DEFAULT_RISK_POLICY).score).toBe(0);
  });
});

import type { RiskContext, VelocityFacts } from "./context";
import type { RiskPolicy } from "./policy";
import { type BehaviourSignals, behaviourSignals } from "./signals/behaviour";
import { type CredentialSignals, credentialSignals } from "./signals/credentials";
import { type DeviceSignals, deviceSignals } from "./signals/device";
import { isAnonymizerAsn, type NetworkSignals, networkSignals } from "./signals/network";
import { type PlaceSignals, placeSignals } from "./signals/place";
import { velocitySignals } from "./signals/velocity";
import type { RiskReason } from "./vocabulary";

export type RiskDecision = "allow" | "step_up" | "deny";

export interface RiskSignals {
  device: DeviceSignals;
  place: PlaceSignals;
  network: NetworkSignals;
  velocity: VelocityFacts;
  credentials: CredentialSignals;
  behaviour: BehaviourSignals;
}

export interface RiskAssessment {
  decision: RiskDecision;
  score: number;
  reasons: RiskReason[];
  signals: RiskSignals;
}

/** What a session remembers of its login's decision (for the optional `gatehouse_risk` claim and the account page). */
export interface RiskSummary {
  eventId: string;
  score: number;
  decision: RiskDecision;
  reasons: string[];
}

export function summaryOf(eventId: string, assessment: RiskAssessment): RiskSummary {
  return { eventId, score: assessment.score, decision: assessment.decision, reasons: assessment.reasons.map((item) => item.code) };
}

function scoreOf(reasons: readonly RiskReason[]): number {
  return Math.max(
    0,
    Math.min(
      100,
      reasons.reduce((sum, item) => sum + item.points, 0),
    ),
  );
}

export function decisionFor(score: number, policy: Pick<RiskPolicy, "stepUpAt" | "denyAt">): RiskDecision {
  if (score >= policy.denyAt) return "deny";
  return score >= policy.stepUpAt ? "step_up" : "allow";
}

/**
 * Scores one login attempt from its signals: each signal module says what it saw and which reasons it
 * gives; the score is the sum of the reasons' points (0–100), and the policy's thresholds turn it into a
 * decision. Pure and synchronous: no I/O, a few microseconds.
 */
export function assessLogin(context: RiskContext, policy: RiskPolicy): RiskAssessment {
  const { profile, edge, now } = context;
  const device = deviceSignals(profile, context.deviceId, context.userAgent);
  const place = placeSignals(profile, edge, now, (asn) => isAnonymizerAsn(asn, policy.lists));
  const network = networkSignals(edge, policy.lists);
  const velocity = velocitySignals(context.velocity, policy.surge);
  const credentials = credentialSignals(profile, context.firstFactor, context.commonPassword, now);
  const behaviour = behaviourSignals(profile, edge, now);
  const reasons = [...place.reasons, ...device.reasons, ...network.reasons, ...velocity, ...credentials.reasons, ...behaviour.reasons].sort(
    (a, b) => b.points - a.points,
  );
  const score = scoreOf(reasons);
  return {
    decision: decisionFor(score, policy),
    score,
    reasons,
    signals: {
      device: device.signals,
      place: place.signals,
      network: network.signals,
      velocity: context.velocity,
      credentials: credentials.signals,
      behaviour: behaviour.signals,
    },
  };
}

/**
 * What is known before anyone is identified (sign-up, or a login before its password is checked): the
 * network, the edge's bot score and the source's and service's failure counts. Decides whether a
 * configured Turnstile challenge is shown.
 */
export function assessSource(
  context: Pick<RiskContext, "edge" | "velocity">,
  policy: RiskPolicy,
  forSignup: boolean,
): { score: number; reasons: RiskReason[] } {
  const reasons = [...networkSignals(context.edge, policy.lists).reasons, ...velocitySignals(context.velocity, policy.surge, forSignup)].sort(
    (a, b) => b.points - a.points,
  );
  return { score: scoreOf(reasons), reasons };
}

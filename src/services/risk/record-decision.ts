import { randomToken } from "../../lib/random";
import { riskEventsStore } from "../../storage/risk-events-store";
import type { UserRow } from "../../storage/schema";
import type { FactorKind } from "../auth/methods";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { RiskAssessment } from "./engine";

/** The stored decision, referred to by the session it starts and by the owner's notification. */
export interface RecordedDecision {
  eventId: string;
  assessment: RiskAssessment;
}

/**
 * Stores a login's decision with its signals and reasons (risk_events) and audits it, so the customer,
 * the operator and the notification all tell the same story.
 */
export async function recordRiskDecision(
  deps: Pick<Deps, "db" | "audit" | "clock">,
  request: RequestContext,
  login: { user: UserRow; clientId: string | null; factor: FactorKind; assessment: RiskAssessment },
): Promise<RecordedDecision> {
  const { assessment } = login;
  const eventId = randomToken(16);
  const now = deps.clock();
  // One round trip for the decision and its audit row.
  await deps.db.batch([
    riskEventsStore(deps.db).insertStatement({
      id: eventId,
      userId: login.user.id,
      clientId: login.clientId,
      decision: assessment.decision,
      score: assessment.score,
      reasons: assessment.reasons,
      signals: assessment.signals as unknown as Record<string, unknown>,
      ip: request.ip,
      country: request.edge.country,
      city: request.edge.city,
      device: assessment.signals.device.family,
      factor: login.factor,
      createdAt: now,
    }),
    deps.audit.statement(
      {
        type: "risk.assessed",
        outcome: assessment.decision === "deny" ? "failure" : "success",
        actorType: "system",
        userId: login.user.id,
        details: { event_id: eventId, decision: assessment.decision, score: assessment.score, reasons: assessment.reasons.map((item) => item.code) },
      },
      request,
    ),
  ]);
  return { eventId, assessment };
}

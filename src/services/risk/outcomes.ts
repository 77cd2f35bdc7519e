import type { UserRow } from "../../storage/schema";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { RecordedDecision } from "./record-decision";

/** A refused login: audited with its reasons (the decision itself is already stored in risk_events). */
export async function afterRiskDenial(deps: Pick<Deps, "audit">, request: RequestContext, user: UserRow, recorded: RecordedDecision): Promise<void> {
  await deps.audit.record(
    {
      type: "risk.denied",
      outcome: "failure",
      actorType: "system",
      userId: user.id,
      details: { event_id: recorded.eventId, score: recorded.assessment.score, reasons: recorded.assessment.reasons.map((item) => item.code) },
    },
    request,
  );
}

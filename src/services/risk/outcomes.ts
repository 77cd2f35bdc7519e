import type { UserRow } from "../../storage/schema";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { RiskSummary } from "./engine";
import type { RecordedDecision } from "./record-decision";
import { notifyOwner } from "./report-link";

/**
 * A refused login: audited with its reasons (the decision itself is already stored in risk_events), and
 * the owner is told after the response, with a "this wasn't me" link (someone got past the first factor).
 */
export async function afterRiskDenial(deps: Deps, request: RequestContext, user: UserRow, recorded: RecordedDecision): Promise<void> {
  const reasons = recorded.assessment.reasons.map((item) => item.code);
  await deps.audit.record(
    {
      type: "risk.denied",
      outcome: "failure",
      actorType: "system",
      userId: user.id,
      details: { event_id: recorded.eventId, score: recorded.assessment.score, reasons },
    },
    request,
  );
  deps.defer(notifyOwner(deps, request, user, { eventId: recorded.eventId, decision: "deny", score: recorded.assessment.score, reasons }));
}

/**
 * A login whose session just started (at once, or after its second factor): the owner hears about it
 * after the response when it came from a new device or looked suspicious (`noticeFor`).
 */
export function afterRiskLogin(deps: Deps, request: RequestContext, user: UserRow, risk: RiskSummary): void {
  deps.defer(notifyOwner(deps, request, user, risk));
}

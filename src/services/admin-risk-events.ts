import { riskEventsStore } from "../storage/risk-events-store";
import type { RiskEventRow } from "../storage/schema";
import { type AdminOutcome, invalid, ok } from "./admin-outcome";
import { decodeCursor, encodeCursor, type Page, toPage } from "./admin-paging";
import type { Deps } from "./deps";

export interface RiskEventQuery {
  limit: number;
  cursor?: string;
  userId?: string;
  decision?: RiskEventRow["decision"];
}

/** Stored risk decisions newest first; the cursor holds the time and id of the last one shown, so paging is stable under inserts. */
export async function listRiskEvents(deps: Pick<Deps, "db">, query: RiskEventQuery): Promise<AdminOutcome<Page<RiskEventRow>>> {
  let before: { createdAt: number; id: string } | undefined;
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    if (!position || !Number.isSafeInteger(position.t) || typeof position.id !== "string") return invalid([{ field: "cursor", problem: "cursor_invalid" }]);
    before = { createdAt: position.t as number, id: position.id };
  }
  const rows = await riskEventsStore(deps.db).list({ limit: query.limit + 1, userId: query.userId, decision: query.decision, before });
  return ok(toPage(rows, query.limit, (last) => encodeCursor({ t: last.createdAt, id: last.id })));
}

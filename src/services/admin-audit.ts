import { auditStore } from "../storage/audit-store";
import type { AuditEventRow } from "../storage/schema";
import { type AdminOutcome, invalid, ok } from "./admin-outcome";
import { decodeCursor, encodeCursor, type Page, toPage } from "./admin-paging";
import type { Deps } from "./deps";

export interface AuditQuery {
  limit: number;
  cursor?: string;
  userId?: string;
  type?: string;
}

/** The audit log newest first; the cursor holds the time and id of the last event shown, so paging is stable under inserts. */
export async function listAuditEvents(deps: Deps, query: AuditQuery): Promise<AdminOutcome<Page<AuditEventRow>>> {
  let before: { occurredAt: number; id: string } | undefined;
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    if (!position || !Number.isSafeInteger(position.t) || typeof position.id !== "string") return invalid([{ field: "cursor", problem: "cursor_invalid" }]);
    before = { occurredAt: position.t as number, id: position.id };
  }
  const rows = await auditStore(deps.db).list({ limit: query.limit + 1, userId: query.userId, type: query.type, before });
  return ok(toPage(rows, query.limit, (last) => encodeCursor({ t: last.occurredAt, id: last.id })));
}

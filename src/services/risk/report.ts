import { sha256Hex } from "../../lib/hashing";
import { riskEventsStore } from "../../storage/risk-events-store";
import type { RiskEventRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { issueEmailToken } from "../email-tokens";
import { type DeliveryQueues, endAllSessions } from "../oidc/logout";
import type { RequestContext } from "../request-context";

/** `invalid`: no such link (400); `gone`: a real link, already used or expired (410). Either way nothing happens. */
export type DeadReport = { ok: false; reason: "invalid" | "gone" };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

async function deadReport(deps: Pick<Deps, "db">, tokenHash: string | null): Promise<DeadReport> {
  const known = tokenHash ? await riskEventsStore(deps.db).findByReportToken(tokenHash) : undefined;
  return { ok: false, reason: known ? "gone" : "invalid" };
}

/** The login a "this wasn't me" link reports, while the link is usable. Consumes nothing (mail scanners open links). */
export async function openReport(deps: Pick<Deps, "db" | "clock">, token: string): Promise<{ ok: true; event: RiskEventRow } | DeadReport> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: "invalid" };
  const tokenHash = await sha256Hex(token);
  const event = await riskEventsStore(deps.db).findByReportToken(tokenHash);
  if (!event) return { ok: false, reason: "invalid" };
  if (event.reportedAt !== null || (event.reportExpiresAt ?? 0) <= deps.clock()) return { ok: false, reason: "gone" };
  return { ok: true, event };
}

export type ReportResult = { ok: true; event: RiskEventRow; resetToken: string | null } | DeadReport;

/**
 * The owner says a login was not theirs. The link is taken once (one conditional UPDATE), then, because
 * whoever got in may also hold other sessions and apps' refresh tokens: every session of the account ends
 * (including the one this login started), every refresh token is revoked and linked apps get a back-channel
 * logout, exactly as "log out everywhere". Finally a fresh password-reset token (30 minutes, single use) is
 * issued for the page to hand over: whoever holds this link already proved they read the owner's mail, so a
 * second email would add delay and no assurance. The password itself is left as is until the owner sets a new one.
 */
export async function reportLogin(deps: Deps, queues: DeliveryQueues, token: string, request: RequestContext): Promise<ReportResult> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: "invalid" };
  const tokenHash = await sha256Hex(token);
  const event = await riskEventsStore(deps.db).consumeReport(tokenHash, deps.clock());
  if (!event) return deadReport(deps, tokenHash);
  const user = await usersStore(deps.db).findById(event.userId);
  if (!user) return { ok: false, reason: "gone" };
  await endAllSessions(deps, queues, user.id);
  const reset = user.status === "active" ? await issueEmailToken(deps, user.id, "reset_password", { withCode: false }) : null;
  await deps.db.batch([
    deps.audit.statement(
      {
        type: "risk.reported",
        outcome: "success",
        actorType: "user",
        actorId: user.id,
        userId: user.id,
        details: { event_id: event.id, decision: event.decision, session_id: event.sessionId, reset_issued: reset !== null },
      },
      request,
    ),
    ...(reset?.statements ?? []),
  ]);
  return { ok: true, event, resetToken: reset?.token ?? null };
}

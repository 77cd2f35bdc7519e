import type { SessionRecord } from "../durable/session-index";
import { usersStore } from "../storage/users-store";
import { ADMIN_ACTOR, type AdminOutcome, notFound, ok } from "./admin-outcome";
import type { Deps } from "./deps";
import type { RequestContext } from "./request-context";
import { listSessions, revokeAllSessions, revokeSession } from "./sessions";

/** The user's active sessions, newest first, from the authoritative index in the user's guard. */
export async function listUserSessions(deps: Deps, userId: string): Promise<AdminOutcome<SessionRecord[]>> {
  if (!(await usersStore(deps.db).findById(userId))) return notFound("user");
  return ok(await listSessions(deps, userId));
}

/** Ends one active session of the user; an unknown, foreign, expired or already revoked id is "not found". */
export async function revokeUserSession(deps: Deps, userId: string, sessionId: string, request: RequestContext): Promise<AdminOutcome<null>> {
  if (!(await usersStore(deps.db).findById(userId))) return notFound("user");
  if (!(await revokeSession(deps, userId, sessionId))) return notFound("session");
  await deps.audit.record({ type: "admin.session_revoked", outcome: "success", ...ADMIN_ACTOR, userId, details: { session_id: sessionId } }, request);
  return ok(null);
}

/** Ends every session of the user; returns how many were active. */
export async function revokeUserSessions(deps: Deps, userId: string, request: RequestContext): Promise<AdminOutcome<number>> {
  if (!(await usersStore(deps.db).findById(userId))) return notFound("user");
  const revoked = await revokeAllSessions(deps, userId);
  await deps.audit.record({ type: "admin.session_revoked", outcome: "success", ...ADMIN_ACTOR, userId, details: { all: true, count: revoked } }, request);
  return ok(revoked);
}

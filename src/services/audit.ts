import { randomId } from "../lib/random";
import { auditStore, type NewAuditEvent } from "../storage/audit-store";
import type { Database } from "../storage/db";
import type { Clock } from "./clock";
import type { RequestContext } from "./request-context";

/** The closed list of what the audit log records. */
export type AuditEventType =
  | "user.signup"
  | "user.email_verified"
  | "user.login"
  | "user.login_throttled"
  | "user.locked_out"
  | "user.logout"
  | "user.password_changed"
  | "user.password_reset_requested"
  | "user.password_reset"
  | "user.email_change_requested"
  | "user.email_changed"
  | "user.profile_updated"
  | "user.deleted"
  | "user.app_disconnected"
  | "session.revoked"
  | "admin.user_created"
  | "admin.user_updated"
  | "admin.user_deleted"
  | "admin.user_disabled"
  | "admin.user_enabled"
  | "admin.session_revoked"
  | "admin.keys_rotated"
  | "admin.client_created"
  | "admin.client_updated"
  | "admin.client_deleted"
  | "admin.client_secret_rotated"
  | "admin.initial_access_token_created"
  | "client.registered"
  | "client.registration_updated"
  | "client.registration_deleted"
  | "admin.mfa_reset"
  | "admin.factor_deleted"
  | "admin.settings_updated"
  | "mfa.required"
  | "mfa.completed"
  | "mfa.failed"
  | "mfa.factor_added"
  | "mfa.factor_removed"
  // Factor-specific events (e.g. `mfa.push_denied`, `passkey.counter_regressed`).
  | `mfa.${string}`
  | `passkey.${string}`
  // Social login and federation (`federation.login`, `federation.linked`, …) and its admin API.
  | `federation.${string}`
  | "admin.identity_provider_created"
  | "admin.identity_provider_updated"
  | "admin.identity_provider_deleted"
  // The risk engine: `risk.assessed` (every login's decision), `risk.denied`, `risk.reported` ("this wasn't me").
  | `risk.${string}`;

export interface AuditEntry {
  type: AuditEventType;
  outcome: "success" | "failure";
  actorType: "user" | "admin" | "system" | "anonymous";
  actorId?: string | null;
  userId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  /** The insert as a statement, for `db.batch` with the change it records. */
  statement(entry: AuditEntry, request: RequestContext | null): ReturnType<ReturnType<typeof auditStore>["insertStatement"]>;
  record(entry: AuditEntry, request: RequestContext | null): Promise<void>;
}

export function auditLog(db: Database, clock: Clock): AuditLog {
  const store = auditStore(db);
  const row = (entry: AuditEntry, request: RequestContext | null): NewAuditEvent => ({
    id: randomId(),
    occurredAt: clock(),
    type: entry.type,
    outcome: entry.outcome,
    actorType: entry.actorType,
    actorId: entry.actorId ?? null,
    userId: entry.userId ?? null,
    ip: request?.ip ?? null,
    userAgent: request?.userAgent?.slice(0, 512) ?? null,
    requestId: request?.requestId ?? null,
    details: entry.details ?? null,
  });
  return {
    statement: (entry, request) => store.insertStatement(row(entry, request)),
    record: async (entry, request) => {
      await store.insertStatement(row(entry, request)).run();
    },
  };
}

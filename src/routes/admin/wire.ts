import type { z } from "@hono/zod-openapi";
import type { SessionRecord } from "../../durable/session-index";
import type { AuditEventRow, UserRow } from "../../storage/schema";
import type { AuditEventSchema, SessionSchema, UserSchema } from "./schemas";

/** Conversion from internal rows (camelCase, epoch milliseconds) to wire JSON (snake_case, ISO 8601). */
const iso = (ms: number): string => new Date(ms).toISOString();

export function userJson(user: UserRow): z.infer<typeof UserSchema> {
  return {
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
    locale: user.locale,
    status: user.status,
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
    password_changed_at: user.passwordChangedAt === null ? null : iso(user.passwordChangedAt),
    has_password: user.passwordHash !== null,
  };
}

export function sessionJson(session: SessionRecord): z.infer<typeof SessionSchema> {
  return {
    id: session.id,
    created_at: iso(session.createdAt),
    last_seen_at: iso(session.lastSeenAt),
    authenticated_at: iso(session.authenticatedAt),
    expires_at: iso(session.absoluteExpiresAt),
    ip: session.ip,
    country: session.country,
    user_agent: session.userAgent,
  };
}

export function auditEventJson(event: AuditEventRow): z.infer<typeof AuditEventSchema> {
  return {
    id: event.id,
    occurred_at: iso(event.occurredAt),
    type: event.type,
    outcome: event.outcome,
    actor_type: event.actorType,
    actor_id: event.actorId,
    user_id: event.userId,
    ip: event.ip,
    user_agent: event.userAgent,
    request_id: event.requestId,
    details: event.details,
  };
}

import type { LoginObservation } from "../durable/risk-profile";
import type { SessionRecord } from "../durable/session-index";
import { sha256Hex } from "../lib/hashing";
import { randomToken } from "../lib/random";
import { timingSafeEqualStrings } from "../lib/timing-safe";
import { askGuard } from "../storage/guards";
import type { CachedSession } from "../storage/session-cache";
import type { Deps } from "./deps";
import type { RequestContext } from "./request-context";
import type { RiskSummary } from "./risk/engine";
import type { SessionBinding } from "./risk/session-binding";
import { describeFamily, userAgentFamily } from "./risk/signals/user-agent";

export const SESSION_COOKIE = "__Host-gh_session";

/** A validated browser session. */
export interface Session {
  id: string;
  userId: string;
  createdAt: number;
  authenticatedAt: number;
  absoluteExpiresAt: number;
  /** RFC 8176 methods of the login (sessions from before MFA existed were password logins). */
  amr: string[];
  /** The risk decision of the login that started it. */
  risk?: RiskSummary;
  /** Where and on which device it started (middleware/session.ts refuses it elsewhere). */
  binding?: SessionBinding;
}

type SessionDeps = Pick<Deps, "config" | "sessionCache" | "guards" | "clock">;

/** Splits a cookie value `id.secret`; `null` for anything malformed. */
export function parseSessionCookie(value: string | undefined | null): { id: string; secret: string } | null {
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value ?? "");
  return match ? { id: match[1] as string, secret: match[2] as string } : null;
}

/**
 * Starts a new session: a fresh id (128 bits) and secret (256 bits) every time, so a login never
 * reuses an identifier an attacker could have planted (no fixation). Returns the cookie value.
 */
export async function createSession(
  deps: SessionDeps,
  userId: string,
  request: RequestContext,
  login: { amr: string[]; deviceId: string | null; risk?: RiskSummary; observation?: LoginObservation } = { amr: ["pwd"], deviceId: null },
): Promise<{ cookieValue: string; session: Session }> {
  const now = deps.clock();
  const id = randomToken(16);
  const secret = randomToken(32);
  const idleTimeoutMs = deps.config.session.idleTimeoutSeconds * 1000;
  const absoluteExpiresAt = now + deps.config.session.absoluteTimeoutSeconds * 1000;
  const record: SessionRecord = {
    id,
    userId,
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt,
    idleTimeoutMs,
    authenticatedAt: now,
    userAgent: request.userAgent?.slice(0, 256) ?? null,
    ip: request.ip,
    country: request.country,
    amr: login.amr,
    deviceId: login.deviceId,
    ...(login.risk ? { risk: login.risk } : {}),
    revokedAt: null,
  };
  // The authoritative index first: a session the index does not know can never pass a strict check.
  await askGuard(() => deps.guards.user(userId).addSession(record, login.observation));
  const cached: CachedSession = {
    userId,
    secretHash: await sha256Hex(secret),
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt,
    idleTimeoutMs,
    authenticatedAt: now,
    amr: login.amr,
    ...(login.risk ? { risk: login.risk } : {}),
    binding: { deviceId: login.deviceId, country: request.edge.country, family: describeFamily(userAgentFamily(request.userAgent)) },
  };
  await deps.sessionCache.put(id, cached, now);
  return { cookieValue: `${id}.${secret}`, session: { id, userId, createdAt: now, authenticatedAt: now, absoluteExpiresAt, amr: login.amr, risk: login.risk } };
}

/**
 * Validates a session cookie against the KV copy (fast, edge-local). With `strict`, the user's
 * `UserGuard` must also confirm it, so a revocation holds at once even before KV catches up;
 * use it for anything sensitive. Refreshes "last seen" at most once per touch interval.
 */
export async function readSession(deps: SessionDeps, cookieValue: string | undefined | null, options: { strict: boolean }): Promise<Session | null> {
  const parsed = parseSessionCookie(cookieValue);
  if (!parsed) return null;
  const cached = await deps.sessionCache.get(parsed.id);
  if (!cached) return null;
  if (!(await timingSafeEqualStrings(cached.secretHash, await sha256Hex(parsed.secret)))) return null;
  const now = deps.clock();
  if (now >= cached.absoluteExpiresAt || now >= cached.lastSeenAt + cached.idleTimeoutMs) return null;
  const guard = deps.guards.user(cached.userId);
  const due = now - cached.lastSeenAt >= deps.config.session.touchIntervalSeconds * 1000;
  if (options.strict || due) {
    const record = await askGuard(() => (due ? guard.touchSession(parsed.id, now) : guard.getActiveSession(parsed.id, now)));
    if (!record) {
      await deps.sessionCache.delete(parsed.id);
      return null;
    }
    if (due) await deps.sessionCache.put(parsed.id, { ...cached, lastSeenAt: now }, now);
  }
  return {
    id: parsed.id,
    userId: cached.userId,
    createdAt: cached.createdAt,
    authenticatedAt: cached.authenticatedAt,
    absoluteExpiresAt: cached.absoluteExpiresAt,
    amr: cached.amr ?? ["pwd"],
    ...(cached.risk ? { risk: cached.risk } : {}),
    ...(cached.binding ? { binding: cached.binding } : {}),
  };
}

/** Ends one session in the index and drops its edge copy. */
export async function revokeSession(deps: SessionDeps, userId: string, sessionId: string): Promise<boolean> {
  const revoked = await askGuard(() => deps.guards.user(userId).revokeSession(sessionId, deps.clock()));
  // Only an id this user's index knew: another account's session id must not touch that account's edge copy.
  if (revoked) await deps.sessionCache.delete(sessionId);
  return revoked;
}

/** Ends every session of the user except `keepSessionId`; returns how many were ended. */
export async function revokeAllSessions(deps: SessionDeps, userId: string, keepSessionId?: string): Promise<number> {
  const revoked = await askGuard(() => deps.guards.user(userId).revokeAllSessions(deps.clock(), keepSessionId));
  await Promise.all(revoked.map((id) => deps.sessionCache.delete(id)));
  return revoked.length;
}

export async function listSessions(deps: SessionDeps, userId: string): Promise<SessionRecord[]> {
  return askGuard(() => deps.guards.user(userId).listSessions(deps.clock()));
}

import { DurableObject } from "cloudflare:workers";
import { afterFailure, emptyThrottle, type LoginThrottlePolicy, type LoginThrottleState, retryAfterSeconds } from "./login-throttle";
import { isSessionActive, type SessionRecord } from "./session-index";

const THROTTLE_KEY = "login-throttle";
const SESSION_PREFIX = "session:";

/**
 * One instance per account (`user:<id>`) or per attempted login name (`login:<hash of email>`).
 * Strongly consistent and serialised, so two concurrent logins or revocations cannot race.
 * Holds the login backoff and the authoritative index of the account's sessions;
 * everything is in Durable Object storage, so it survives eviction and restarts.
 */
export class UserGuard extends DurableObject<Env> {
  /** Whether a login may be tried now, and if not, in how many seconds. */
  async checkLogin(now: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const wait = retryAfterSeconds(await this.throttle(), now);
    return { allowed: wait === 0, retryAfterSeconds: wait };
  }

  /** Counts a failed login and returns the wait now imposed. */
  async recordLoginFailure(now: number, policy: LoginThrottlePolicy): Promise<{ failures: number; retryAfterSeconds: number }> {
    const next = afterFailure(await this.throttle(), now, policy);
    await this.ctx.storage.put(THROTTLE_KEY, next);
    return { failures: next.failures, retryAfterSeconds: retryAfterSeconds(next, now) };
  }

  /** A successful login or a password reset clears the backoff. */
  async clearLoginFailures(): Promise<void> {
    await this.ctx.storage.delete(THROTTLE_KEY);
  }

  async addSession(record: SessionRecord): Promise<void> {
    await this.pruneSessions(record.createdAt);
    await this.ctx.storage.put(SESSION_PREFIX + record.id, record);
  }

  /** The session if it is still active; `null` once revoked or expired. */
  async getActiveSession(id: string, now: number): Promise<SessionRecord | null> {
    const record = await this.ctx.storage.get<SessionRecord>(SESSION_PREFIX + id);
    return record && isSessionActive(record, now) ? record : null;
  }

  /** Moves "last seen" forward (callers do this at most every few minutes). */
  async touchSession(id: string, now: number): Promise<SessionRecord | null> {
    const record = await this.getActiveSession(id, now);
    if (!record) return null;
    const updated = { ...record, lastSeenAt: now };
    await this.ctx.storage.put(SESSION_PREFIX + id, updated);
    return updated;
  }

  /** Revokes one session; returns whether it was active. */
  async revokeSession(id: string, now: number): Promise<boolean> {
    const record = await this.getActiveSession(id, now);
    if (!record) return false;
    await this.ctx.storage.put(SESSION_PREFIX + id, { ...record, revokedAt: now });
    return true;
  }

  /** Revokes every active session except `keepId`; returns the ids it revoked. */
  async revokeAllSessions(now: number, keepId?: string): Promise<string[]> {
    const revoked: string[] = [];
    for (const record of await this.activeSessions(now)) {
      if (record.id === keepId) continue;
      await this.ctx.storage.put(SESSION_PREFIX + record.id, { ...record, revokedAt: now });
      revoked.push(record.id);
    }
    return revoked;
  }

  /** Active sessions, newest first. */
  async listSessions(now: number): Promise<SessionRecord[]> {
    return (await this.activeSessions(now)).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Forgets everything: used when the account is deleted. */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  private async throttle(): Promise<LoginThrottleState> {
    return (await this.ctx.storage.get<LoginThrottleState>(THROTTLE_KEY)) ?? emptyThrottle;
  }

  private async activeSessions(now: number): Promise<SessionRecord[]> {
    const all = await this.ctx.storage.list<SessionRecord>({ prefix: SESSION_PREFIX });
    return [...all.values()].filter((record) => isSessionActive(record, now));
  }

  /** Drops records that can never be active again, so the index stays small. */
  private async pruneSessions(now: number): Promise<void> {
    const all = await this.ctx.storage.list<SessionRecord>({ prefix: SESSION_PREFIX });
    const dead = [...all.values()].filter((record) => !isSessionActive(record, now)).map((record) => SESSION_PREFIX + record.id);
    if (dead.length > 0) await this.ctx.storage.delete(dead);
  }
}

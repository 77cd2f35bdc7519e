import { DurableObject } from "cloudflare:workers";
import { afterFailure, emptyThrottle, type LoginThrottlePolicy, type LoginThrottleState, retryAfterSeconds } from "./login-throttle";
import { isSessionActive, type SessionRecord } from "./session-index";

const THROTTLE_KEY = "login-throttle";
const FACTOR_THROTTLE_KEY = "factor-throttle";
const SESSION_PREFIX = "session:";
const USED_PENDING_PREFIX = "pending-used:";
const DEVICES_KEY = "devices";
/** Known devices kept per account; the least recently seen is forgotten first. */
const MAX_DEVICES = 20;

/**
 * One instance per account (`user:<id>`) or per attempted login name (`login:<hash of email>`).
 * Strongly consistent and serialised, so two concurrent logins or revocations cannot race.
 * Holds the login and second-factor backoff, the authoritative index of the account's sessions, the
 * devices it logged in from, and which pending second-factor logins were completed;
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

  /** Whether a second factor (or one-time code) may be tried now: the same backoff as logins, counted per account. */
  async checkFactor(now: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const wait = retryAfterSeconds(await this.factorThrottle(), now);
    return { allowed: wait === 0, retryAfterSeconds: wait };
  }

  /** Counts a failed second-factor or code attempt; resending a code does not reset it. */
  async recordFactorFailure(now: number, policy: LoginThrottlePolicy): Promise<{ failures: number; retryAfterSeconds: number }> {
    const next = afterFailure(await this.factorThrottle(), now, policy);
    await this.ctx.storage.put(FACTOR_THROTTLE_KEY, next);
    return { failures: next.failures, retryAfterSeconds: retryAfterSeconds(next, now) };
  }

  async clearFactorFailures(): Promise<void> {
    await this.ctx.storage.delete(FACTOR_THROTTLE_KEY);
  }

  /**
   * Marks a pending second-factor login as completed; false when it already was. Serialised in this
   * object, so two parallel completions of one pending login cannot both start a session.
   */
  async consumePendingLogin(id: string, expiresAt: number, now: number): Promise<boolean> {
    const key = USED_PENDING_PREFIX + id;
    if (await this.ctx.storage.get(key)) return false;
    const used = await this.ctx.storage.list<number>({ prefix: USED_PENDING_PREFIX });
    const stale = [...used].filter(([, until]) => until <= now).map(([name]) => name);
    if (stale.length > 0) await this.ctx.storage.delete(stale);
    await this.ctx.storage.put(key, expiresAt);
    return true;
  }

  /** Whether this account has logged in from the device before. */
  async isKnownDevice(deviceId: string): Promise<boolean> {
    return deviceId in (await this.devices());
  }

  async addSession(record: SessionRecord): Promise<void> {
    await this.pruneSessions(record.createdAt);
    await this.ctx.storage.put(SESSION_PREFIX + record.id, record);
    if (record.deviceId) {
      const devices = { ...(await this.devices()), [record.deviceId]: record.createdAt };
      const kept = Object.entries(devices)
        .sort((a, b) => b[1] - a[1])
        .slice(0, MAX_DEVICES);
      await this.ctx.storage.put(DEVICES_KEY, Object.fromEntries(kept));
    }
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

  private async factorThrottle(): Promise<LoginThrottleState> {
    return (await this.ctx.storage.get<LoginThrottleState>(FACTOR_THROTTLE_KEY)) ?? emptyThrottle;
  }

  private async devices(): Promise<Record<string, number>> {
    return (await this.ctx.storage.get<Record<string, number>>(DEVICES_KEY)) ?? {};
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

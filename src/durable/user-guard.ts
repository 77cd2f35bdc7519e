import { DurableObject } from "cloudflare:workers";
import { afterFailure, emptyThrottle, FAILURE_MEMORY_MS, type LoginThrottlePolicy, type LoginThrottleState, retryAfterSeconds } from "./login-throttle";
import { afterLogin, emptyRiskProfile, keepNewest, type LoginObservation, type RiskMark, type RiskProfile, withMark } from "./risk-profile";
import { isSessionActive, type SessionRecord } from "./session-index";

const THROTTLE_KEY = "login-throttle";
const FACTOR_THROTTLE_KEY = "factor-throttle";
const SESSION_PREFIX = "session:";
const USED_PENDING_PREFIX = "pending-used:";
/** Before the risk profile existed, known devices were kept alone under this key; read once to seed the profile. */
const LEGACY_DEVICES_KEY = "devices";
const RISK_PROFILE_KEY = "risk-profile";
const TRUSTED_LANES_KEY = "trusted-device-lanes";
const FAILURE_SOURCES_KEY = "failure-sources";
/** Devices that logged in successfully under one login name, each with its own backoff lane. */
const MAX_TRUSTED_LANES = 10;
/** Distinct failing sources remembered per login name. */
const MAX_FAILURE_SOURCES = 20;

/** What the login check tells the caller: whether it may go on, and the counts the risk engine reads. */
export interface LoginCheck {
  allowed: boolean;
  retryAfterSeconds: number;
  /** Failures on this login name in the last day, and from how many distinct sources. */
  failures: number;
  sources: number;
}

/**
 * One instance per account (`user:<id>`) or per attempted login name (`login:<hash of email>`).
 * Strongly consistent and serialised, so two concurrent logins or revocations cannot race.
 * Holds the login and second-factor backoff, the authoritative index of the account's sessions, the
 * account's risk profile (devices, places, times), and which pending second-factor logins were completed;
 * everything is in Durable Object storage, so it survives eviction and restarts.
 */
export class UserGuard extends DurableObject<Env> {
  /**
   * Whether a login may be tried now, and if not, in how many seconds. A device that logged in under this
   * name before has its own backoff lane (OWASP's device cookies): attackers hammering the account slow
   * down each other, not its owner on their usual browser.
   */
  async checkLogin(now: number, deviceId?: string | null): Promise<LoginCheck> {
    const lanes = await this.trustedLanes();
    const lane = deviceId ? lanes[deviceId] : undefined;
    const shared = await this.throttle();
    const wait = retryAfterSeconds(lane ?? shared, now);
    const recent = now - shared.lastFailureAt <= FAILURE_MEMORY_MS;
    const sources = recent ? Object.values(await this.failureSources()).filter((at) => now - at <= FAILURE_MEMORY_MS).length : 0;
    return { allowed: wait === 0, retryAfterSeconds: wait, failures: recent ? shared.failures : 0, sources };
  }

  /** Counts a failed login (in the device's own lane when it is a trusted one) and returns the wait now imposed. */
  async recordLoginFailure(
    now: number,
    policy: LoginThrottlePolicy,
    attempt: { source?: string | null; deviceId?: string | null } = {},
  ): Promise<{ failures: number; retryAfterSeconds: number }> {
    const lanes = await this.trustedLanes();
    const lane = attempt.deviceId ? lanes[attempt.deviceId] : undefined;
    if (attempt.deviceId && lane) {
      const next = afterFailure(lane, now, policy);
      await this.ctx.storage.put(TRUSTED_LANES_KEY, { ...lanes, [attempt.deviceId]: next });
      return { failures: next.failures, retryAfterSeconds: retryAfterSeconds(next, now) };
    }
    const next = afterFailure(await this.throttle(), now, policy);
    await this.ctx.storage.put(THROTTLE_KEY, next);
    if (attempt.source) {
      const sources = { ...(await this.failureSources()), [attempt.source]: now };
      await this.ctx.storage.put(
        FAILURE_SOURCES_KEY,
        keepNewest(sources, MAX_FAILURE_SOURCES, (at) => at),
      );
    }
    return { failures: next.failures, retryAfterSeconds: retryAfterSeconds(next, now) };
  }

  /**
   * A password reset clears the backoff. A successful login from a device makes it a trusted device of
   * this login name, with a lane of its own from now on. A trusted device's success clears only its own
   * lane: the owner logging in on their usual browser must not hand the attackers still guessing
   * elsewhere a fresh budget. Any other successful login passed the shared lane, and clears it.
   */
  async clearLoginFailures(trustDeviceId?: string | null, now?: number): Promise<void> {
    const lanes = await this.trustedLanes();
    if (!trustDeviceId || now === undefined || !lanes[trustDeviceId]) await this.ctx.storage.delete([THROTTLE_KEY, FAILURE_SOURCES_KEY]);
    if (!trustDeviceId || now === undefined) return;
    const next = { ...lanes, [trustDeviceId]: { ...emptyThrottle, lastFailureAt: now } };
    await this.ctx.storage.put(
      TRUSTED_LANES_KEY,
      keepNewest(next, MAX_TRUSTED_LANES, (lane) => lane.lastFailureAt),
    );
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

  /**
   * The account's history for the risk engine (devices, places, times, recent events). One read, made by
   * the login in place of any other call here before the session starts.
   */
  async riskProfile(): Promise<RiskProfile> {
    const stored = await this.ctx.storage.get<RiskProfile>(RISK_PROFILE_KEY);
    if (stored) return stored;
    const legacy = (await this.ctx.storage.get<Record<string, number>>(LEGACY_DEVICES_KEY)) ?? {};
    const devices = Object.fromEntries(Object.entries(legacy).map(([id, lastAt]) => [id, { lastAt, family: null }]));
    return { ...emptyRiskProfile(), devices, logins: Object.keys(devices).length };
  }

  /** Remembers an event the risk engine weighs for a day (a password reset, a new factor, a denied push, a cloned passkey). */
  async markRisk(mark: RiskMark, at: number): Promise<void> {
    await this.ctx.storage.put(RISK_PROFILE_KEY, withMark(await this.riskProfile(), mark, at));
  }

  /** Records a session, and the login that started it in the risk profile. */
  async addSession(record: SessionRecord, login?: LoginObservation): Promise<void> {
    await this.pruneSessions(record.createdAt);
    await this.ctx.storage.put(SESSION_PREFIX + record.id, record);
    if (login) {
      await this.ctx.storage.put(RISK_PROFILE_KEY, afterLogin(await this.riskProfile(), login));
      await this.ctx.storage.delete(LEGACY_DEVICES_KEY);
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

  private async trustedLanes(): Promise<Record<string, LoginThrottleState>> {
    return (await this.ctx.storage.get<Record<string, LoginThrottleState>>(TRUSTED_LANES_KEY)) ?? {};
  }

  private async failureSources(): Promise<Record<string, number>> {
    return (await this.ctx.storage.get<Record<string, number>>(FAILURE_SOURCES_KEY)) ?? {};
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

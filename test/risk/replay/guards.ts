import type { IpVelocityPolicy } from "../../../src/durable/ip-velocity";
import { afterIpFailure, emptyIpState, type IpFailureState } from "../../../src/durable/ip-velocity";
import {
  afterFailure,
  emptyThrottle,
  FAILURE_MEMORY_MS,
  type LoginThrottlePolicy,
  type LoginThrottleState,
  retryAfterSeconds,
} from "../../../src/durable/login-throttle";
import { afterLogin, emptyRiskProfile, keepNewest, type LoginObservation, type RiskMark, type RiskProfile, withMark } from "../../../src/durable/risk-profile";
import type { LoginCheck } from "../../../src/durable/user-guard";

/**
 * The guard calls a login makes, as the replay needs them. Two implementations: `memoryGuards` (below, a
 * small mirror of UserGuard and IpGuard over their pure functions, so the report runs in plain Node) and
 * `durableGuards` (test/risk/replay/durable-guards.ts, the real Durable Objects). A worker-tier test replays
 * every journey through both and requires identical results, so the mirror cannot drift.
 */
export interface GuardPort {
  /** UserGuard `login:<name>`.checkLogin */
  checkLogin(name: string, now: number, deviceId: string | null): Promise<LoginCheck>;
  /** UserGuard `login:<name>`.recordLoginFailure */
  recordLoginFailure(name: string, now: number, policy: LoginThrottlePolicy, attempt: { source: string; deviceId: string | null }): Promise<void>;
  /** UserGuard `login:<name>`.clearLoginFailures */
  clearLoginFailures(name: string, deviceId: string | null, now: number): Promise<void>;
  /** IpGuard `ip:<key>`.checkLogin */
  checkSource(key: string, now: number): Promise<{ allowed: boolean; retryAfterSeconds: number; failures: number; accounts: number }>;
  /** IpGuard `ip:<key>`.recordLoginFailure */
  recordSourceFailure(key: string, now: number, account: string, policy: IpVelocityPolicy): Promise<void>;
  /** UserGuard `user:<id>`.riskProfile */
  riskProfile(user: string): Promise<RiskProfile>;
  /** UserGuard `user:<id>`.addSession(record, observation): only the profile half matters here. */
  recordLogin(user: string, observation: LoginObservation): Promise<void>;
  /** UserGuard `user:<id>`.markRisk */
  markRisk(user: string, mark: RiskMark, at: number): Promise<void>;
  /** IpGuard `global:<shard>`.countEvent("login_failure") */
  countGlobalFailure(shard: number, now: number): Promise<void>;
  /** Sum over every shard of IpGuard.recentEvents(["login_failure"], minutes, now). */
  globalFailures(minutes: number, now: number): Promise<number>;
}

const MAX_TRUSTED_LANES = 10;
const MAX_FAILURE_SOURCES = 20;
const RATE_MINUTES_KEPT = 15;

interface LoginNameState {
  throttle: LoginThrottleState;
  lanes: Record<string, LoginThrottleState>;
  sources: Record<string, number>;
}

/**
 * In-memory mirror of the guards. Each method copies its Durable Object method line for line, over the same
 * pure functions (login-throttle.ts, ip-velocity.ts, risk-profile.ts); read src/durable/user-guard.ts and
 * ip-guard.ts next to it.
 */
export function memoryGuards(): GuardPort {
  const names = new Map<string, LoginNameState>();
  const sources = new Map<string, IpFailureState>();
  const profiles = new Map<string, RiskProfile>();
  const buckets = new Map<number, Record<string, number>>();
  const nameState = (name: string): LoginNameState => {
    const state = names.get(name) ?? { throttle: emptyThrottle, lanes: {}, sources: {} };
    names.set(name, state);
    return state;
  };
  return {
    async checkLogin(name, now, deviceId) {
      const state = nameState(name);
      const lane = deviceId ? state.lanes[deviceId] : undefined;
      const wait = retryAfterSeconds(lane ?? state.throttle, now);
      const recent = now - state.throttle.lastFailureAt <= FAILURE_MEMORY_MS;
      const count = recent ? Object.values(state.sources).filter((at) => now - at <= FAILURE_MEMORY_MS).length : 0;
      return { allowed: wait === 0, retryAfterSeconds: wait, failures: recent ? state.throttle.failures : 0, sources: count };
    },
    async recordLoginFailure(name, now, policy, attempt) {
      const state = nameState(name);
      const lane = attempt.deviceId ? state.lanes[attempt.deviceId] : undefined;
      if (attempt.deviceId && lane) {
        state.lanes = { ...state.lanes, [attempt.deviceId]: afterFailure(lane, now, policy) };
        return;
      }
      state.throttle = afterFailure(state.throttle, now, policy);
      state.sources = keepNewest({ ...state.sources, [attempt.source]: now }, MAX_FAILURE_SOURCES, (at) => at);
    },
    async clearLoginFailures(name, deviceId, now) {
      const state = nameState(name);
      // A trusted device's success clears only its own lane; any other success clears the shared one.
      if (!deviceId || !state.lanes[deviceId]) {
        state.throttle = emptyThrottle;
        state.sources = {};
      }
      if (!deviceId) return;
      state.lanes = keepNewest({ ...state.lanes, [deviceId]: { ...emptyThrottle, lastFailureAt: now } }, MAX_TRUSTED_LANES, (lane) => lane.lastFailureAt);
    },
    async checkSource(key, now) {
      const state = sources.get(key) ?? emptyIpState;
      const windowSeconds = 3600;
      const wait = state.blockedUntil > now ? Math.ceil((state.blockedUntil - now) / 1000) : 0;
      const recent = state.failures.filter((failure) => now - failure.at < windowSeconds * 1000);
      return { allowed: wait === 0, retryAfterSeconds: wait, failures: recent.length, accounts: new Set(recent.map((failure) => failure.account)).size };
    },
    async recordSourceFailure(key, now, account, policy) {
      sources.set(key, afterIpFailure(sources.get(key) ?? emptyIpState, now, account, policy));
    },
    async riskProfile(user) {
      return profiles.get(user) ?? emptyRiskProfile();
    },
    async recordLogin(user, observation) {
      profiles.set(user, afterLogin(profiles.get(user) ?? emptyRiskProfile(), observation));
    },
    async markRisk(user, mark, at) {
      profiles.set(user, withMark(profiles.get(user) ?? emptyRiskProfile(), mark, at));
    },
    async countGlobalFailure(shard, now) {
      const minute = Math.floor(now / 60_000);
      const kept = Object.fromEntries(Object.entries(buckets.get(shard) ?? {}).filter(([at]) => minute - Number(at) < RATE_MINUTES_KEPT));
      kept[minute] = (kept[minute] ?? 0) + 1;
      buckets.set(shard, kept);
    },
    async globalFailures(minutes, now) {
      const minute = Math.floor(now / 60_000);
      let total = 0;
      for (const shard of buckets.values()) {
        for (const [at, count] of Object.entries(shard)) if (minute - Number(at) <= minutes) total += count;
      }
      return total;
    },
  };
}

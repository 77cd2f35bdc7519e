import { env } from "cloudflare:workers";
import type { SessionRecord } from "../../../src/durable/session-index";
import type { GuardPort } from "./guards";

/**
 * The replay's guard calls made on the real Durable Objects (UserGuard, IpGuard), each journey under its own
 * object names so journeys cannot see each other's counts. Only usable in the worker tier.
 */
export function durableGuards(journey: string): GuardPort {
  const user = (name: string) => env.USER_GUARD.get(env.USER_GUARD.idFromName(`replay:${journey}:user:${name}`));
  const login = (name: string) => env.USER_GUARD.get(env.USER_GUARD.idFromName(`replay:${journey}:login:${name}`));
  const ip = (key: string) => env.IP_GUARD.get(env.IP_GUARD.idFromName(`replay:${journey}:ip:${key}`));
  const shard = (index: number) => env.IP_GUARD.get(env.IP_GUARD.idFromName(`replay:${journey}:global:${index}`));
  const shards = new Set<number>();
  let sessions = 0;
  return {
    checkLogin: (name, now, deviceId) => login(name).checkLogin(now, deviceId),
    recordLoginFailure: async (name, now, policy, attempt) => {
      await login(name).recordLoginFailure(now, policy, attempt);
    },
    clearLoginFailures: (name, deviceId, now) => login(name).clearLoginFailures(deviceId, now),
    checkSource: (key, now) => ip(key).checkLogin(now),
    recordSourceFailure: async (key, now, account, policy) => {
      await ip(key).recordLoginFailure(now, account, policy);
    },
    riskProfile: (name) => user(name).riskProfile(),
    recordLogin: async (name, observation) => {
      const record: SessionRecord = {
        id: `s${++sessions}`,
        userId: name,
        createdAt: observation.at,
        lastSeenAt: observation.at,
        absoluteExpiresAt: observation.at + 3_600_000,
        idleTimeoutMs: 600_000,
        authenticatedAt: observation.at,
        userAgent: null,
        ip: null,
        country: observation.country,
        revokedAt: null,
      };
      await user(name).addSession(record, observation);
    },
    markRisk: (name, mark, at) => user(name).markRisk(mark, at),
    countGlobalFailure: async (index, now) => {
      shards.add(index);
      await shard(index).countEvent("login_failure", now);
    },
    globalFailures: async (minutes, now) => {
      const counts = await Promise.all([...shards].map((index) => shard(index).recentEvents(["login_failure"], minutes, now)));
      return counts.reduce((sum, count) => sum + (count.login_failure ?? 0), 0);
    },
  };
}

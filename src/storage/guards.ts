import type { IpGuard } from "../durable/ip-guard";
import type { UserGuard } from "../durable/user-guard";
import { ipLimiterKey } from "../lib/client-ip";

/** A Durable Object guard did not answer: callers fail closed (HTTP 503). */
export class GuardUnavailableError extends Error {
  override readonly name = "GuardUnavailableError";
}

export interface Guards {
  /** The account's guard: its session index. */
  user(userId: string): DurableObjectStub<UserGuard>;
  /** The guard for one attempted login name, whether or not an account has it, so throttling reveals nothing. */
  login(emailHash: string): DurableObjectStub<UserGuard>;
  /** The guard for the client's source: its IPv4 address or IPv6 /64. */
  ip(clientIp: string | null): DurableObjectStub<IpGuard>;
  /** Counters for one message destination (a hashed phone number, a country calling code): limits sends to it from any source. */
  destination(key: string): DurableObjectStub<IpGuard>;
  /** One shard of the service-wide event counters (failed logins, sign-ups). */
  globalShard(shard: number): DurableObjectStub<IpGuard>;
}

export function guards(env: { USER_GUARD: DurableObjectNamespace<UserGuard>; IP_GUARD: DurableObjectNamespace<IpGuard> }): Guards {
  return {
    user: (userId) => env.USER_GUARD.get(env.USER_GUARD.idFromName(`user:${userId}`)),
    login: (emailHash) => env.USER_GUARD.get(env.USER_GUARD.idFromName(`login:${emailHash}`)),
    ip: (clientIp) => env.IP_GUARD.get(env.IP_GUARD.idFromName(`ip:${ipLimiterKey(clientIp)}`)),
    destination: (key) => env.IP_GUARD.get(env.IP_GUARD.idFromName(`destination:${key}`)),
    globalShard: (shard) => env.IP_GUARD.get(env.IP_GUARD.idFromName(`global:${shard}`)),
  };
}

/** Runs a guard call, turning any transport failure into `GuardUnavailableError`. */
export async function askGuard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new GuardUnavailableError("guard unavailable", { cause: error });
  }
}

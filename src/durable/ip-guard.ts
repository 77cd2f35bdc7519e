import { DurableObject } from "cloudflare:workers";
import { afterIpFailure, emptyIpState, type IpFailureState, type IpVelocityPolicy } from "./ip-velocity";

const FAILURES_KEY = "login-failures";
const COUNTER_PREFIX = "counter:";
const DEFAULT_VELOCITY_WINDOW_SECONDS = 3600;
const RATE_PREFIX = "rate:";
const RATE_MINUTES_KEPT = 15;

interface FixedWindow {
  windowStart: number;
  count: number;
}

/**
 * One instance per client source (IPv4 address or IPv6 /64), named `ip:<key>`.
 * Credential stuffing and password spraying spread over many accounts, so velocity is also counted per source.
 */
export class IpGuard extends DurableObject<Env> {
  /**
   * Whether this source may try a login now, and what it did lately: failures within `windowSeconds`
   * and on how many accounts (the risk engine's source velocity).
   */
  async checkLogin(
    now: number,
    windowSeconds = DEFAULT_VELOCITY_WINDOW_SECONDS,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number; failures: number; accounts: number }> {
    const state = await this.state();
    const wait = state.blockedUntil > now ? Math.ceil((state.blockedUntil - now) / 1000) : 0;
    const recent = state.failures.filter((failure) => now - failure.at < windowSeconds * 1000);
    return { allowed: wait === 0, retryAfterSeconds: wait, failures: recent.length, accounts: new Set(recent.map((failure) => failure.account)).size };
  }

  /** Counts a failed login against `accountHash` from this source. */
  async recordLoginFailure(now: number, accountHash: string, policy: IpVelocityPolicy): Promise<{ blocked: boolean }> {
    const next = afterIpFailure(await this.state(), now, accountHash, policy);
    await this.ctx.storage.put(FAILURES_KEY, next);
    return { blocked: next.blockedUntil > now };
  }

  /**
   * A fixed-window counter for one action (`signup`, `forgot`, `verify`…): counts this request and
   * says whether it is within `limit` per `windowSeconds`.
   */
  async hit(action: string, limit: number, windowSeconds: number, now: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const key = COUNTER_PREFIX + action;
    const windowMs = windowSeconds * 1000;
    const current = await this.ctx.storage.get<FixedWindow>(key);
    const window = current && now - current.windowStart < windowMs ? current : { windowStart: now, count: 0 };
    if (window.count >= limit) {
      return { allowed: false, retryAfterSeconds: Math.ceil((window.windowStart + windowMs - now) / 1000) };
    }
    await this.ctx.storage.put(key, { ...window, count: window.count + 1 });
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Counts one event of `kind` in this minute's bucket (a shard of a service-wide counter). */
  async countEvent(kind: string, now: number): Promise<void> {
    const key = RATE_PREFIX + kind;
    const minute = Math.floor(now / 60_000);
    const buckets = (await this.ctx.storage.get<Record<string, number>>(key)) ?? {};
    const kept = Object.fromEntries(Object.entries(buckets).filter(([at]) => minute - Number(at) < RATE_MINUTES_KEPT));
    kept[minute] = (kept[minute] ?? 0) + 1;
    await this.ctx.storage.put(key, kept);
  }

  /** Events of each kind counted here in the last `minutes` whole minutes (plus the current one). */
  async recentEvents(kinds: string[], minutes: number, now: number): Promise<Record<string, number>> {
    const minute = Math.floor(now / 60_000);
    const result: Record<string, number> = {};
    for (const kind of kinds) {
      const buckets = (await this.ctx.storage.get<Record<string, number>>(RATE_PREFIX + kind)) ?? {};
      result[kind] = Object.entries(buckets)
        .filter(([at]) => minute - Number(at) <= minutes)
        .reduce((sum, [, count]) => sum + count, 0);
    }
    return result;
  }

  private async state(): Promise<IpFailureState> {
    return (await this.ctx.storage.get<IpFailureState>(FAILURES_KEY)) ?? emptyIpState;
  }
}

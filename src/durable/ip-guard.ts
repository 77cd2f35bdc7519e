import { DurableObject } from "cloudflare:workers";
import { afterIpFailure, emptyIpState, type IpFailureState, type IpVelocityPolicy } from "./ip-velocity";

const FAILURES_KEY = "login-failures";
const COUNTER_PREFIX = "counter:";

interface FixedWindow {
  windowStart: number;
  count: number;
}

/**
 * One instance per client source (IPv4 address or IPv6 /64), named `ip:<key>`.
 * Credential stuffing and password spraying spread over many accounts, so velocity is also counted per source.
 */
export class IpGuard extends DurableObject<Env> {
  async checkLogin(now: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const state = await this.state();
    const wait = state.blockedUntil > now ? Math.ceil((state.blockedUntil - now) / 1000) : 0;
    return { allowed: wait === 0, retryAfterSeconds: wait };
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

  private async state(): Promise<IpFailureState> {
    return (await this.ctx.storage.get<IpFailureState>(FAILURES_KEY)) ?? emptyIpState;
  }
}

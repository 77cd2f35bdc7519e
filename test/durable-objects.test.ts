import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { afterIpFailure, emptyIpState } from "../src/durable/ip-velocity";
import { afterFailure, emptyThrottle } from "../src/durable/login-throttle";
import type { SessionRecord } from "../src/durable/session-index";

const policy = { failuresBeforeBackoff: 5, maxBackoffSeconds: 900 };

function session(id: string, now: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId: "u1",
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: now + 3_600_000,
    idleTimeoutMs: 600_000,
    authenticatedAt: now,
    userAgent: null,
    ip: null,
    country: null,
    revokedAt: null,
    ...overrides,
  };
}

describe("login backoff (pure)", () => {
  it("allows the first failures, then doubles the wait up to the cap, never locks for good", () => {
    let state = emptyThrottle;
    const now = 1_000_000;
    const waits: number[] = [];
    for (let i = 0; i < 16; i++) {
      state = afterFailure(state, now, policy);
      waits.push(Math.max(0, Math.ceil((state.blockedUntil - now) / 1000)));
    }
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits.slice(4, 9)).toEqual([1, 2, 4, 8, 16]);
    expect(Math.max(...waits)).toBe(900);
  });

  it("forgets failures after a day", () => {
    let state = emptyThrottle;
    for (let i = 0; i < 10; i++) state = afterFailure(state, 0, policy);
    expect(afterFailure(state, 25 * 3600 * 1000, policy).failures).toBe(1);
  });
});

describe("IP velocity (pure)", () => {
  const ipPolicy = { failureLimit: 5, accountLimit: 3, windowSeconds: 60 };
  it("blocks after too many distinct accounts", () => {
    let state = emptyIpState;
    for (const account of ["a", "b"]) state = afterIpFailure(state, 1000, account, ipPolicy);
    expect(state.blockedUntil).toBe(0);
    state = afterIpFailure(state, 1000, "c", ipPolicy);
    expect(state.blockedUntil).toBeGreaterThan(1000);
  });

  it("blocks after too many failures on one account and forgets outside the window", () => {
    let state = emptyIpState;
    for (let i = 0; i < 4; i++) state = afterIpFailure(state, 1000, "a", ipPolicy);
    expect(state.blockedUntil).toBe(0);
    const later = afterIpFailure(state, 1000 + 61_000, "a", ipPolicy);
    expect(later.failures).toHaveLength(1);
    expect(afterIpFailure(state, 1000, "a", ipPolicy).blockedUntil).toBeGreaterThan(1000);
  });
});

describe("UserGuard", () => {
  it("keeps its backoff and session index across a restart (state is in storage)", async () => {
    const id = env.USER_GUARD.idFromName(`test:${crypto.randomUUID()}`);
    const now = Date.now();
    const stub = env.USER_GUARD.get(id);
    for (let i = 0; i < 6; i++) await stub.recordLoginFailure(now, policy);
    await stub.addSession(session("s1", now));
    // Throw away every live instance (as an eviction or a deploy would); the new one reads the persisted state.
    await abortAllDurableObjects();
    const again = env.USER_GUARD.get(id);
    expect((await again.checkLogin(now)).allowed).toBe(false);
    expect((await again.getActiveSession("s1", now))?.id).toBe("s1");
    await runInDurableObject(again, async (_instance, state) => {
      expect(await state.storage.get("login-throttle")).toMatchObject({ failures: 6 });
    });
    await again.clearLoginFailures();
    expect((await again.checkLogin(now)).allowed).toBe(true);
  });

  it("expires sessions by idle and absolute timeout and revokes them", async () => {
    const stub = env.USER_GUARD.get(env.USER_GUARD.idFromName(`test:${crypto.randomUUID()}`));
    const now = Date.now();
    await stub.addSession(session("idle", now));
    await stub.addSession(session("keep", now));
    await stub.addSession(session("other", now));
    expect(await stub.getActiveSession("idle", now + 600_001)).toBeNull();
    expect((await stub.touchSession("keep", now + 500_000))?.lastSeenAt).toBe(now + 500_000);
    expect(await stub.getActiveSession("keep", now + 900_000)).not.toBeNull();
    expect(await stub.getActiveSession("keep", now + 3_600_001)).toBeNull();
    expect(await stub.revokeAllSessions(now, "keep")).toEqual(expect.arrayContaining(["idle", "other"]));
    expect((await stub.listSessions(now)).map((record) => record.id)).toEqual(["keep"]);
    expect(await stub.revokeSession("keep", now)).toBe(true);
    expect(await stub.revokeSession("keep", now)).toBe(false);
  });
});

describe("IpGuard", () => {
  it("counts a fixed window per action and persists it", async () => {
    const stub = env.IP_GUARD.get(env.IP_GUARD.idFromName(`test:${crypto.randomUUID()}`));
    const now = Date.now();
    expect((await stub.hit("signup", 2, 60, now)).allowed).toBe(true);
    expect((await stub.hit("signup", 2, 60, now)).allowed).toBe(true);
    const third = await stub.hit("signup", 2, 60, now + 1000);
    expect(third).toEqual({ allowed: false, retryAfterSeconds: 59 });
    expect((await stub.hit("forgot", 2, 60, now)).allowed).toBe(true);
    expect((await stub.hit("signup", 2, 60, now + 60_000)).allowed).toBe(true);
  });
});

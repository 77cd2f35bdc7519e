import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const policy = { failuresBeforeBackoff: 5, maxBackoffSeconds: 900 };
const sourcePolicy = { failureLimit: 50, accountLimit: 20, windowSeconds: 3600 };

describe("risk state survives a Durable Object restart", () => {
  it("keeps the profile, marks, lanes, failing sources, source velocity and service-wide counts", async () => {
    const now = Date.now();
    const user = env.USER_GUARD.idFromName(`test:${crypto.randomUUID()}`);
    const login = env.USER_GUARD.idFromName(`test:${crypto.randomUUID()}`);
    const source = env.IP_GUARD.idFromName(`test:${crypto.randomUUID()}`);
    const shard = env.IP_GUARD.idFromName(`test:${crypto.randomUUID()}`);
    const observation = {
      at: now,
      deviceId: "d1",
      family: "Firefox on Windows",
      country: "DE",
      city: "Berlin",
      latitude: 52.5,
      longitude: 13.4,
      asn: 3320,
      localHour: 9,
    };
    const session = {
      id: "s1",
      userId: "u1",
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: now + 3_600_000,
      idleTimeoutMs: 3_600_000,
      authenticatedAt: now,
      userAgent: null,
      ip: null,
      country: "DE",
      revokedAt: null,
    };
    await env.USER_GUARD.get(user).addSession(session, observation);
    await env.USER_GUARD.get(user).markRisk("push_denied", now);
    await env.USER_GUARD.get(login).clearLoginFailures("d1", now);
    for (let i = 0; i < 3; i++) await env.USER_GUARD.get(login).recordLoginFailure(now, policy, { source: `10.0.0.${i}` });
    for (let i = 0; i < 4; i++) await env.IP_GUARD.get(source).recordLoginFailure(now, `account-${i}`, sourcePolicy);
    await env.IP_GUARD.get(shard).countEvent("login_failure", now);

    await abortAllDurableObjects();

    const profile = await env.USER_GUARD.get(user).riskProfile();
    expect(profile).toMatchObject({ logins: 1, countries: { DE: now }, networks: { "3320": now }, marks: { push_denied: now } });
    expect(profile.devices.d1).toEqual({ lastAt: now, family: "Firefox on Windows" });
    expect(await env.USER_GUARD.get(login).checkLogin(now, "d1")).toMatchObject({ allowed: true, failures: 3, sources: 3 });
    expect(await env.IP_GUARD.get(source).checkLogin(now)).toMatchObject({ failures: 4, accounts: 4 });
    expect(await env.IP_GUARD.get(shard).recentEvents(["login_failure"], 5, now)).toEqual({ login_failure: 1 });
  });
});

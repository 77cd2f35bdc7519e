import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { normalizeEmail } from "../../src/lib/email";
import { sha256Hex } from "../../src/lib/hashing";
import { GLOBAL_SHARDS } from "../../src/services/risk/global-rates";
import { guards } from "../../src/storage/guards";
import { ADMIN_TOKEN, admin, expectProblem } from "../admin/helpers";
import { createVerifiedAccount } from "../helpers/accounts";
import { createTestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { pausedAuthorization } from "../helpers/oidc";
import { BERLIN, deviceIdOf, LYON, latestRiskEvent, postLogin, type RiskEventJson, SYDNEY, userIdOf } from "./helpers";

interface AssessmentJson {
  decision: "allow" | "step_up" | "deny";
  score: number;
  reasons: { code: string; message: string; points: number }[];
  signals: Record<string, Record<string, unknown>>;
}

async function evaluate(body: Record<string, unknown>): Promise<Response> {
  return admin("/admin/v1/risk/evaluate", { json: body });
}

async function assess(body: Record<string, unknown>): Promise<AssessmentJson> {
  const response = await evaluate(body);
  expect(response.status).toBe(200);
  return (await response.json()) as AssessmentJson;
}

/** An account that logged in once from Berlin on `browser`, so it has a history to differ from. */
async function settledAccount(browser: Browser): Promise<{ email: string; userId: string }> {
  const email = await createVerifiedAccount(browser);
  expect((await postLogin(browser, { email }, BERLIN)).headers.get("location")).toBe("/account");
  return { email, userId: await userIdOf(email) };
}

/**
 * What a what-if and a stored decision must share: everything except the service-wide rates (a login
 * reads its isolate's cached copy, the what-if reads them fresh) and, for a browser without a device
 * cookie, the id the login then gives it.
 */
function comparable(decision: AssessmentJson | RiskEventJson, withoutDeviceId = false) {
  const { globalFailuresPerMinute: _f, globalSignupsPerMinute: _s, ...velocity } = decision.signals.velocity ?? {};
  const device = withoutDeviceId ? { ...decision.signals.device, id: null } : decision.signals.device;
  return { decision: decision.decision, score: decision.score, reasons: decision.reasons, signals: { ...decision.signals, velocity, device } };
}

/** Everything a what-if could touch: the account's profile, its login name's and the source's counters, the service-wide counters, stored rows. */
async function observable(userId: string, email: string, ip: string) {
  const guard = guards(env);
  const now = Date.now();
  const emailHash = await sha256Hex(normalizeEmail(email) ?? email);
  const count = async (sql: string) => (await env.DB.prepare(sql).bind(userId).first<{ n: number }>())?.n;
  return {
    profile: await guard.user(userId).riskProfile(),
    sessions: (await guard.user(userId).listSessions(now)).length,
    byName: await guard.login(emailHash).checkLogin(now),
    bySource: await guard.ip(ip).checkLogin(now),
    global: await Promise.all(Array.from({ length: GLOBAL_SHARDS }, (_, shard) => guard.globalShard(shard).recentEvents(["login_failure", "signup"], 15, now))),
    riskEvents: await count("SELECT count(*) AS n FROM risk_events WHERE user_id = ?"),
    audit: await count("SELECT count(*) AS n FROM audit_events WHERE user_id = ?"),
    user: await env.DB.prepare("SELECT * FROM users WHERE id = ?").bind(userId).first(),
  };
}

describe("POST /admin/v1/risk/evaluate", () => {
  it("answers the decision, score, reasons and signals for a described login", async () => {
    const browser = new Browser();
    const { userId } = await settledAccount(browser);
    const home = await assess({ user_id: userId, ip: browser.ip, cf: BERLIN, device_id: deviceIdOf(browser) });
    expect(home).toMatchObject({ decision: "allow", score: 0, reasons: [] });
    expect(Object.keys(home.signals).sort()).toEqual(["behaviour", "credentials", "device", "network", "place", "velocity"]);

    // A new browser in Sydney a moment after Berlin: impossible travel, new country, network and device.
    const thief = await assess({ user_id: userId, ip: "203.0.113.9", cf: SYDNEY, user_agent: "curl/8.5" });
    expect(thief.decision).toBe("deny");
    expect(thief.score).toBe(100);
    expect(thief.reasons.map((reason) => reason.code)).toEqual(["impossible_travel", "new_device", "new_country", "new_network"]);
    expect(thief.reasons[0]).toEqual({ code: "impossible_travel", message: "Too far from the last login for the time between them", points: 50 });
    expect(thief.signals.place).toMatchObject({ country: "AU", city: "Sydney", impossibleTravel: true });

    // A day later the same trip is possible, and with a passkey the new device is mitigated.
    const later = await assess({
      user_id: userId,
      ip: "203.0.113.9",
      cf: SYDNEY,
      time: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
      first_factor: "passkey",
    });
    expect(later.reasons.map((reason) => reason.code)).toEqual(["new_device", "new_country", "new_network", "passkey"]);
    expect(later).toMatchObject({ score: 35, decision: "step_up" });
  });

  it("changes nothing: profile, sessions, counters, stored decisions and the audit log stay as they were", async () => {
    const browser = new Browser();
    const { email, userId } = await settledAccount(browser);
    // Counters with something in them: one failed password from another browser (the owner's own device
    // would count in its own backoff lane, which the risk engine does not read).
    const stranger = new Browser();
    expect((await postLogin(stranger, { email, password: "wrong password entirely" }, SYDNEY)).status).toBe(401);
    const before = await observable(userId, email, stranger.ip);
    expect(before.byName.failures).toBe(1);
    expect(before.bySource.failures).toBe(1);

    const contexts = [
      { user_id: userId, ip: browser.ip, cf: BERLIN, device_id: deviceIdOf(browser) },
      { user_id: userId, ip: stranger.ip, cf: SYDNEY, first_factor: "password" },
      { user_id: userId, ip: "2001:db8::1", cf: { ...LYON, botManagement: { score: 2 } }, time: "2030-01-01T03:00:00+01:00", first_factor: "email" },
    ];
    const requestIds: string[] = [];
    for (const context of contexts) {
      const response = await evaluate(context);
      expect(response.status).toBe(200);
      requestIds.push(response.headers.get("x-request-id") ?? "");
    }
    expect(await observable(userId, email, stranger.ip)).toEqual(before);
    const placeholders = requestIds.map(() => "?").join(",");
    const audited = await env.DB.prepare(`SELECT count(*) AS n FROM audit_events WHERE request_id IN (${placeholders})`)
      .bind(...requestIds)
      .first<{ n: number }>();
    expect(audited?.n).toBe(0);
  });

  it("decides what a real login with the same context decides", async () => {
    const browser = new Browser();
    const { email, userId } = await settledAccount(browser);

    // 1. The usual browser in Berlin on another network (a phone's hotspot).
    const hotspot = { ...BERLIN, asn: 6805, asOrganization: "Telefonica Germany" };
    const known = { user_id: userId, ip: browser.ip, cf: hotspot, device_id: deviceIdOf(browser), first_factor: "password" };
    const predicted = await assess(known);
    expect(predicted).toMatchObject({ decision: "allow", score: 10, reasons: [{ code: "new_network" }] });
    expect((await postLogin(browser, { email }, hotspot)).headers.get("location")).toBe("/account");
    expect(comparable(await latestRiskEvent(userId))).toEqual(comparable(predicted));

    // 2. A new browser in Sydney after three wrong passwords from its address: travel, device, place and velocity.
    const stranger = new Browser();
    for (let attempt = 0; attempt < 3; attempt++) expect((await postLogin(stranger, { email, password: `not it ${attempt}` }, SYDNEY)).status).toBe(401);
    const far = await assess({ user_id: userId, ip: stranger.ip, cf: SYDNEY, first_factor: "password" });
    expect(far.signals.velocity).toMatchObject({ accountFailures: 3, accountSources: 1, sourceFailures: 3, sourceAccounts: 1 });
    expect(far.reasons.map((reason) => reason.code)).toEqual(expect.arrayContaining(["impossible_travel", "new_device", "account_failures"]));
    expect((await postLogin(stranger, { email }, SYDNEY)).headers.get("location")).toBe("/login?notice=risk_denied");
    expect(comparable(await latestRiskEvent(userId), true)).toEqual(comparable(far, true));

    // 3. Through an app with its own thresholds: the app's step_up_at turns the same score into a step-up.
    const client = await createTestClient({ risk_policy: { step_up_at: 5, deny_at: 90 }, mfa_policy: "adaptive" });
    const cable = { ...BERLIN, asn: 3209, asOrganization: "Vodafone GmbH" };
    const viaApp = await assess({ ...known, cf: cable, client_id: client.clientId });
    const withoutApp = await assess({ ...known, cf: cable });
    expect([withoutApp.score, viaApp.score]).toEqual([10, 10]);
    expect([withoutApp.decision, viaApp.decision]).toEqual(["allow", "step_up"]);
    browser.cookies.delete("__Host-gh_session");
    const { returnTo } = await pausedAuthorization(browser, client);
    expect((await postLogin(browser, { email, return_to: returnTo }, cable)).headers.get("location")).toBe("/login/mfa");
    const stored = await latestRiskEvent(userId);
    expect(stored.client_id).toBe(client.clientId);
    expect(comparable(stored)).toEqual(comparable(viaApp));
  });

  it("answers 404 for an unknown user or app, 400 for bad input, 401 without the token, 415 for a non-JSON body", async () => {
    const browser = new Browser();
    const { userId } = await settledAccount(browser);
    const valid = { user_id: userId, ip: "198.51.100.4", cf: BERLIN };

    expect((await expectProblem(await evaluate({ ...valid, user_id: "no-such-user" }), 404)).detail).toBe("no user with this id");
    expect((await expectProblem(await evaluate({ ...valid, client_id: "no-such-app" }), 404)).detail).toBe("no client with this id");

    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, ip: "not-an-ip" }, "ip"],
      [{ ...valid, ip: undefined }, "ip"],
      [{ ...valid, cf: "DE" }, "cf"],
      [{ ...valid, device_id: "abc.def" }, "device_id"],
      [{ ...valid, time: "yesterday" }, "time"],
      [{ ...valid, first_factor: "telepathy" }, "first_factor"],
      [{ ...valid, user_agent: 42 }, "user_agent"],
      [{ ...valid, country: "DE" }, "country"],
    ];
    for (const [body, field] of cases) {
      const problem = await expectProblem(await evaluate(body), 400);
      expect(problem.errors?.map((error) => error.field)).toEqual([field]);
    }
    await expectProblem(await admin("/admin/v1/risk/evaluate", { rawBody: "{", headers: { "content-type": "application/json" } }), 400);
    await expectProblem(
      await admin("/admin/v1/risk/evaluate", { rawBody: "user_id=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
    );
    expect((await admin("/admin/v1/risk/evaluate", { json: valid, token: `${ADMIN_TOKEN}x` })).status).toBe(401);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { globalRiskPolicy, setGlobalRiskPolicy } from "../../src/services/risk/policy";
import { ADMIN_TOKEN, admin, expectProblem } from "../admin/helpers";
import { createVerifiedAccount } from "../helpers/accounts";
import { testDeps } from "../helpers/deps";
import { Browser } from "../helpers/http";
import { BERLIN, DEFAULT_SETTINGS, latestRiskEvent, postLogin, putRiskSettings, TEST_VPN_ASN, userIdOf } from "./helpers";

describe("GET and PUT /admin/v1/settings/risk", () => {
  it("answers the defaults while nothing is stored", async () => {
    const response = await admin("/admin/v1/settings/risk");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(DEFAULT_SETTINGS);
    expect((await admin("/admin/v1/settings/risk", { token: `${ADMIN_TOKEN}x` })).status).toBe(401);
  });

  it("stores a policy, audits the change, and the next login in this isolate decides by it", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const userId = await userIdOf(email);
    const viaVpn = { ...BERLIN, asn: TEST_VPN_ASN };
    try {
      const set = await putRiskSettings({ step_up_at: 10, deny_at: 20, anonymizer_asns: [TEST_VPN_ASN] });
      expect(set.status).toBe(200);
      const stored = { ...DEFAULT_SETTINGS, step_up_at: 10, deny_at: 20, anonymizer_asns: [TEST_VPN_ASN] };
      expect(await set.json()).toEqual(stored);
      expect(await (await admin("/admin/v1/settings/risk")).json()).toEqual(stored);

      // The operator's VPN list (25 points) and deny_at 20: refused, though nothing else is unusual.
      const refused = await postLogin(browser, { email }, viaVpn);
      expect(refused.headers.get("location")).toBe("/login?notice=risk_denied");
      expect(await latestRiskEvent(userId)).toMatchObject({ decision: "deny", score: 25, reasons: [{ code: "anonymizer_network", points: 25 }] });

      const audit = (await (await admin("/admin/v1/audit-events?type=admin.settings_updated&limit=1")).json()) as {
        events: { actor_type: string; details: Record<string, unknown> }[];
      };
      expect(audit.events[0]).toMatchObject({ actor_type: "admin", details: { risk_policy: stored } });
    } finally {
      expect((await putRiskSettings({})).status).toBe(200);
    }
    // Back to the defaults (and the ASN no longer listed): the same login goes through at once.
    const allowed = await postLogin(browser, { email }, viaVpn);
    expect(allowed.headers.get("location")).toBe("/account");
    expect(await latestRiskEvent(userId)).toMatchObject({ decision: "allow", score: 0, reasons: [] });
  });

  it("refuses unknown fields, wrong types, missing fields and step_up_at above deny_at with 400 problems naming them", async () => {
    const unknown = await expectProblem(await putRiskSettings({ deny_at_score: 50 }), 400);
    expect(unknown.errors).toContainEqual(expect.objectContaining({ in: "body", field: "deny_at_score", code: "unknown_field" }));

    const wrongType = await expectProblem(await putRiskSettings({ step_up_at: "30", notify_new_device: "yes" }), 400);
    expect(wrongType.errors?.map((error) => error.field).sort()).toEqual(["notify_new_device", "step_up_at"]);

    const outOfRange = await expectProblem(await putRiskSettings({ deny_at: 0, hosting_asns: [-1] }), 400);
    // deny_at 0 is also below the default step_up_at of 30.
    expect(outOfRange.errors?.map((error) => error.field).sort()).toEqual(["deny_at", "hosting_asns.0", "step_up_at"]);

    const { turnstile_at: _dropped, ...incomplete } = DEFAULT_SETTINGS;
    const missing = await expectProblem(await admin("/admin/v1/settings/risk", { method: "PUT", json: incomplete }), 400);
    expect(missing.errors?.map((error) => error.field)).toEqual(["turnstile_at"]);

    const inverted = await expectProblem(await putRiskSettings({ step_up_at: 60, deny_at: 50 }), 400);
    expect(inverted.errors).toEqual([
      expect.objectContaining({ field: "step_up_at", code: "thresholds_inverted", detail: "step_up_at must not exceed deny_at" }),
    ]);

    await expectProblem(await admin("/admin/v1/settings/risk", { method: "PUT", rawBody: "{", headers: { "content-type": "application/json" } }), 400);
    await expectProblem(await admin("/admin/v1/settings/risk", { method: "PUT", rawBody: "step_up_at=1", headers: { "content-type": "text/plain" } }), 415);

    // Nothing of it was stored.
    expect(await (await admin("/admin/v1/settings/risk")).json()).toEqual(DEFAULT_SETTINGS);
  });

  it("is read from D1 at most every 10 seconds per isolate, and a change made here is seen at once", async () => {
    const deps = testDeps();
    expect((await globalRiskPolicy(deps)).denyAt).toBe(85);
    // Written behind the isolate's back (as another isolate would): not seen yet.
    const elsewhere = { ...DEFAULT_SETTINGS, deny_at: 70 };
    await env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('risk', ?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?1, updated_at = ?2")
      .bind(JSON.stringify(elsewhere), Date.now())
      .run();
    expect((await globalRiskPolicy(deps)).denyAt).toBe(85);
    await setGlobalRiskPolicy(deps, { ...DEFAULT_SETTINGS, deny_at: 75 });
    expect((await globalRiskPolicy(deps)).denyAt).toBe(75);
    await setGlobalRiskPolicy(deps, DEFAULT_SETTINGS);
    expect((await globalRiskPolicy(deps)).denyAt).toBe(85);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { admin, expectProblem } from "../admin/helpers";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { pausedAuthorization } from "../helpers/oidc";
import { createClient, WEB_APP } from "../oidc-clients/helpers";
import { BERLIN, latestRiskEvent, postLogin, userIdOf } from "./helpers";

const app = createApp();
const registrationEnv = { ...env, DYNAMIC_REGISTRATION: "initial_access_token" };
const context = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** `POST /register` with dynamic registration switched on and a fresh initial access token. */
async function register(metadata: Record<string, unknown>): Promise<Response> {
  const issued = await admin("/admin/v1/initial-access-tokens", { json: {} });
  const { initial_access_token } = (await issued.json()) as { initial_access_token: string };
  const headers = { authorization: `Bearer ${initial_access_token}`, "content-type": "application/json" };
  return app.fetch(new Request("http://localhost:8787/register", { method: "POST", headers, body: JSON.stringify(metadata) }), registrationEnv, context);
}

describe("risk_policy of a client", () => {
  it("is created, read, changed and reset through the admin API", async () => {
    const created = await createClient({ ...WEB_APP, risk_policy: { step_up_at: 20, deny_at: 60, risk_claim: true } });
    expect(created.risk_policy).toEqual({ step_up_at: 20, deny_at: 60, risk_claim: true });
    const path = `/admin/v1/clients/${created.client_id}`;
    expect(((await (await admin(path)).json()) as { risk_policy?: unknown }).risk_policy).toEqual({ step_up_at: 20, deny_at: 60, risk_claim: true });

    const patched = await admin(path, { method: "PATCH", json: { risk_policy: { deny_at: 70 } } });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { risk_policy?: unknown }).risk_policy).toEqual({ deny_at: 70 });
    const untouched = await admin(path, { method: "PATCH", json: { client_name: "Renamed" } });
    expect(((await untouched.json()) as { risk_policy?: unknown }).risk_policy).toEqual({ deny_at: 70 });

    const reset = await admin(path, { method: "PATCH", json: { risk_policy: null } });
    expect(Object.keys((await reset.json()) as object)).not.toContain("risk_policy");
    const emptied = await admin(path, { method: "PATCH", json: { risk_policy: {} } });
    expect(Object.keys((await emptied.json()) as object)).not.toContain("risk_policy");
  });

  it("refuses thresholds out of range, unknown fields and wrong types", async () => {
    const cases: [unknown, string][] = [
      [{ step_up_at: 0 }, "risk_policy.step_up_at"],
      [{ deny_at: 102 }, "risk_policy.deny_at"],
      [{ risk_claim: "yes" }, "risk_policy.risk_claim"],
      [{ notify: true }, "risk_policy.notify"],
      ["strict", "risk_policy"],
    ];
    for (const [riskPolicy, field] of cases) {
      const problem = await expectProblem(await admin("/admin/v1/clients", { json: { ...WEB_APP, risk_policy: riskPolicy } }), 400);
      expect(problem.errors?.map((error) => error.field)).toEqual([field]);
    }
  });

  it("is refused through dynamic registration, and an operator's setting survives the client's own update", async () => {
    const refused = await register({ redirect_uris: ["https://rp.example.com/cb"], risk_policy: { risk_claim: true } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_client_metadata", error_description: expect.stringMatching(/risk_policy/) });

    const registered = await register({ redirect_uris: ["https://rp.example.com/cb"] });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as { client_id: string; registration_access_token: string };
    await admin(`/admin/v1/clients/${client.client_id}`, { method: "PATCH", json: { risk_policy: { deny_at: 50 } } });
    const update = await app.fetch(
      new Request(`http://localhost:8787/register/${client.client_id}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${client.registration_access_token}`, "content-type": "application/json" },
        body: JSON.stringify({ client_id: client.client_id, redirect_uris: ["https://rp.example.com/cb2"] }),
      }),
      registrationEnv,
      context,
    );
    expect(update.status).toBe(200);
    expect(((await (await admin(`/admin/v1/clients/${client.client_id}`)).json()) as { risk_policy?: unknown }).risk_policy).toEqual({ deny_at: 50 });
  });

  it("changes the decision of a login for that app, and only for it", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const userId = await userIdOf(email);
    expect((await postLogin(browser, { email }, BERLIN)).headers.get("location")).toBe("/account");
    // The same browser on another network: 10 points, allowed under the global policy.
    const hotspot = { ...BERLIN, asn: 6805 };
    const strict = await createClient({ ...WEB_APP, first_party: true, risk_policy: { step_up_at: 5, deny_at: 10 } });
    const lenient = await createClient({ ...WEB_APP, first_party: true });

    browser.cookies.delete("__Host-gh_session");
    const viaStrict = await pausedAuthorization(browser, { clientId: strict.client_id, secret: "", redirectUri: WEB_APP.redirect_uris[0] ?? "" });
    expect((await postLogin(browser, { email, return_to: viaStrict.returnTo }, hotspot)).headers.get("location")).toBe("/login?notice=risk_denied");
    expect(await latestRiskEvent(userId)).toMatchObject({ client_id: strict.client_id, decision: "deny", score: 10 });

    const viaLenient = await pausedAuthorization(browser, { clientId: lenient.client_id, secret: "", redirectUri: WEB_APP.redirect_uris[0] ?? "" });
    const allowed = await postLogin(browser, { email, return_to: viaLenient.returnTo }, hotspot);
    expect(allowed.headers.get("location")).toMatch(/^\/authorize\?/);
    expect(await latestRiskEvent(userId)).toMatchObject({ client_id: lenient.client_id, decision: "allow", score: 10 });
  });
});

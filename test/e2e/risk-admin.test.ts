import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { HttpClient } from "./support/http-client";
import { adminApi, codeRequest, createUser, discover, pkceChecks, registerClient, verifyWithJose } from "./support/oidc-rp";

/**
 * The operator's side of the risk engine against a running worker: the policy API, a what-if that
 * predicts a real login (replayed from another place with `x-dev-cf`), the stored decision, and the
 * `gatehouse_risk` claim in an ID token that openid-client receives and jose verifies.
 */
const BERLIN = { country: "DE", city: "Berlin", latitude: 52.52, longitude: 13.405, timezone: "Europe/Berlin", asn: 3320 };
const HOTSPOT = { ...BERLIN, asn: 6805 };
const REDIRECT_URI = "https://risk-app.example.com/cb";

function from(place: Record<string, unknown>): { headers: Record<string, string> } {
  return { headers: { "x-dev-cf": JSON.stringify(place) } };
}

describe("risk engine admin API and claim, end to end", () => {
  it("reads and rewrites the policy; refuses step_up_at above deny_at", async () => {
    const current = await adminApi<Record<string, unknown>>("GET", "/settings/risk");
    expect(current.status).toBe(200);
    expect(Object.keys(current.body).sort()).toEqual(
      [
        "anonymizer_asns",
        "deny_at",
        "hosting_asns",
        "notify_new_device",
        "step_up_at",
        "surge_failures_per_minute",
        "surge_signups_per_minute",
        "turnstile_at",
      ].sort(),
    );
    const inverted = await adminApi<{ errors: { field: string }[] }>("PUT", "/settings/risk", { ...current.body, step_up_at: 90, deny_at: 80 });
    expect(inverted.status).toBe(400);
    expect(inverted.body.errors.map((error) => error.field)).toEqual(["step_up_at"]);
    const same = await adminApi("PUT", "/settings/risk", current.body);
    expect(same).toEqual({ status: 200, body: current.body });
  });

  it("a what-if predicts the login an app then sees in its ID token and the operator in the risk events", async () => {
    const user = await createUser("risk-admin");
    const app = await registerClient({
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code"],
      scope: "openid email",
      first_party: true,
      risk_policy: { risk_claim: true },
    });
    const config = await discover(app.client_id, undefined, oidc.ClientSecretBasic(app.client_secret ?? ""));

    // The usual browser logs in at home first, so the account has a history.
    const browser = new HttpClient();
    const home = await browser.post("/login", { email: user.email, password: user.password }, from(BERLIN));
    expect(home.headers.get("location")).toBe("/account");
    const deviceId = browser.cookies.get("__Host-gh_device")?.split(".")[0];

    const predicted = await adminApi<{ decision: string; score: number; reasons: { code: string }[] }>("POST", "/risk/evaluate", {
      user_id: user.id,
      ip: browser.ip,
      cf: HOTSPOT,
      device_id: deviceId,
      first_factor: "password",
      client_id: app.client_id,
    });
    expect(predicted.status).toBe(200);
    expect(predicted.body).toMatchObject({ decision: "allow", score: 10, reasons: [{ code: "new_network" }] });

    // The same browser on another network signs in to the app.
    browser.cookies.delete("__Host-gh_session");
    const checks = await pkceChecks();
    const authorizeUrl = oidc.buildAuthorizationUrl(config, codeRequest(REDIRECT_URI, checks, "openid email"));
    const toLogin = await browser.get(authorizeUrl.pathname + authorizeUrl.search);
    const returnTo = new URL(toLogin.headers.get("location") ?? "", authorizeUrl).searchParams.get("return_to") ?? "";
    const login = await browser.post("/login", { email: user.email, password: user.password, return_to: returnTo }, from(HOTSPOT));
    const resumed = await browser.get(login.headers.get("location") ?? "");
    const callback = new URL(resumed.headers.get("location") ?? "");
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const { payload } = await verifyWithJose(tokens.id_token ?? "", { audience: app.client_id });
    expect(payload.gatehouse_risk).toEqual({
      score: predicted.body.score,
      decision: predicted.body.decision,
      reasons: predicted.body.reasons.map((r) => r.code),
    });

    const events = await adminApi<{ events: { client_id: string; decision: string; score: number; reasons: unknown; country: string }[] }>(
      "GET",
      `/risk-events?user_id=${user.id}&limit=1`,
    );
    expect(events.body.events[0]).toMatchObject({ client_id: app.client_id, decision: "allow", score: 10, reasons: predicted.body.reasons, country: "DE" });
  });
});

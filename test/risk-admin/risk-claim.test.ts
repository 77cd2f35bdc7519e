import { describe, expect, it } from "vitest";
import { admin } from "../admin/helpers";
import { createVerifiedAccount } from "../helpers/accounts";
import { basicAuth, type TestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { authorizeUrl, follow, pausedAuthorization } from "../helpers/oidc";
import { codeIn, waitForMail } from "../helpers/outbox";
import { createClient, WEB_APP } from "../oidc-clients/helpers";
import { BERLIN, latestRiskEvent, postLogin, userIdOf } from "./helpers";

async function adminClient(metadata: Record<string, unknown>): Promise<TestClient> {
  const created = await createClient({ ...WEB_APP, first_party: true, ...metadata });
  return { clientId: created.client_id, secret: created.client_secret ?? "", redirectUri: WEB_APP.redirect_uris[0] ?? "" };
}

function claimsOf(idToken: string): Record<string, unknown> {
  return JSON.parse(atob((idToken.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/")));
}

async function token(client: TestClient, fields: Record<string, string>): Promise<{ id_token: string; refresh_token?: string }> {
  const response = await new Browser().fetch("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
    body: new URLSearchParams(fields),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id_token: string; refresh_token?: string };
}

/** The code of an authorization response that left for the app. */
function codeOf(response: Response): string {
  const location = response.headers.get("location") ?? "";
  expect(location).toMatch(/^https:\/\/shop\.example\.com\/callback\?/);
  return new URL(location).searchParams.get("code") ?? "";
}

describe("the gatehouse_risk ID token claim", () => {
  it("carries the score, decision and reason codes of the session's login to an app that asked for it, and to no other", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const userId = await userIdOf(email);
    expect((await postLogin(browser, { email }, BERLIN)).headers.get("location")).toBe("/account");
    browser.cookies.delete("__Host-gh_session");

    // The login for the app: the usual browser on another network (new_network, allowed).
    const withClaim = await adminClient({ risk_policy: { risk_claim: true } });
    const { returnTo, verifier } = await pausedAuthorization(browser, withClaim, { scope: "openid offline_access" });
    const landed = await follow(browser, await postLogin(browser, { email, return_to: returnTo }, { ...BERLIN, asn: 6805 }));
    const tokens = await token(withClaim, {
      grant_type: "authorization_code",
      code: codeOf(landed),
      redirect_uri: withClaim.redirectUri,
      code_verifier: verifier,
    });
    const stored = await latestRiskEvent(userId);
    expect(stored).toMatchObject({ decision: "allow", score: 10 });
    expect(claimsOf(tokens.id_token).gatehouse_risk).toEqual({ score: 10, decision: "allow", reasons: ["new_network"] });

    // Apps in the same session without the claim switched on get none.
    for (const other of [await adminClient({}), await adminClient({ risk_policy: { step_up_at: 50, risk_claim: false } })]) {
      const request = await authorizeUrl(other);
      const code = codeOf(await browser.get(request.url));
      const claims = claimsOf(
        (await token(other, { grant_type: "authorization_code", code, redirect_uri: other.redirectUri, code_verifier: request.verifier })).id_token,
      );
      expect(claims.amr).toEqual(["pwd"]);
      expect(claims).not.toHaveProperty("gatehouse_risk");
    }

    // A refreshed ID token still describes the login; once the operator switches the claim off, it stops.
    const refreshed = await token(withClaim, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" });
    expect(claimsOf(refreshed.id_token).gatehouse_risk).toEqual({ score: 10, decision: "allow", reasons: ["new_network"] });
    expect((await admin(`/admin/v1/clients/${withClaim.clientId}`, { method: "PATCH", json: { risk_policy: null } })).status).toBe(200);
    const after = await token(withClaim, { grant_type: "refresh_token", refresh_token: refreshed.refresh_token ?? "" });
    expect(claimsOf(after.id_token)).not.toHaveProperty("gatehouse_risk");
  });

  it("says step_up for a login that had to pass a second factor, whose amr shows it", async () => {
    const home = new Browser();
    const email = await createVerifiedAccount(home);
    expect((await postLogin(home, { email }, BERLIN)).headers.get("location")).toBe("/account");

    // A new phone at home: new_device (30 points), a second factor under the app's adaptive MFA policy.
    const app = await adminClient({ mfa_policy: "adaptive", risk_policy: { risk_claim: true } });
    const phone = new Browser();
    const { returnTo, verifier } = await pausedAuthorization(phone, app);
    expect((await postLogin(phone, { email, return_to: returnTo }, BERLIN)).headers.get("location")).toBe("/login/mfa");
    expect((await phone.post("/login/mfa/email/send", {})).status).toBe(200);
    const mail = (await waitForMail(email, 2)).find((message) => message.subject?.startsWith("Your verification code"));
    if (!mail) throw new Error("no second-factor mail");
    const landed = await follow(phone, await phone.post("/login/mfa/email", { code: codeIn(mail) }));
    const claims = claimsOf(
      (await token(app, { grant_type: "authorization_code", code: codeOf(landed), redirect_uri: app.redirectUri, code_verifier: verifier })).id_token,
    );
    expect(claims.gatehouse_risk).toEqual({ score: 30, decision: "step_up", reasons: ["new_device"] });
    expect(claims.amr).toEqual(expect.arrayContaining(["pwd", "mfa"]));
  });

  it("survives a step-up the app asks for with acr_values: the stepped-up session keeps its login's decision", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    expect((await postLogin(browser, { email }, BERLIN)).headers.get("location")).toBe("/account");
    browser.cookies.delete("__Host-gh_session");
    const app = await adminClient({ risk_policy: { risk_claim: true } });
    const first = await pausedAuthorization(browser, app);
    await follow(browser, await postLogin(browser, { email, return_to: first.returnTo }, { ...BERLIN, asn: 6805 }));

    const stronger = await authorizeUrl(app, { acr_values: "urn:gatehouse:loa:2" });
    const toFactor = await follow(browser, await browser.get(stronger.url));
    expect(toFactor.status).toBe(200);
    expect((await browser.post("/login/mfa/email/send", {})).status).toBe(200);
    const mail = (await waitForMail(email, 2)).find((message) => message.subject?.startsWith("Your verification code"));
    if (!mail) throw new Error("no second-factor mail");
    const landed = await follow(browser, await browser.post("/login/mfa/email", { code: codeIn(mail) }));
    const claims = claimsOf(
      (await token(app, { grant_type: "authorization_code", code: codeOf(landed), redirect_uri: app.redirectUri, code_verifier: stronger.verifier })).id_token,
    );
    expect(claims.acr).toBe("urn:gatehouse:loa:2");
    expect(claims.gatehouse_risk).toEqual({ score: 10, decision: "allow", reasons: ["new_network"] });
  });

  it("is listed in the discovery document's claims_supported", async () => {
    const discovery = (await (await new Browser().get("/.well-known/openid-configuration")).json()) as { claims_supported: string[] };
    expect(discovery.claims_supported).toContain("gatehouse_risk");
  });
});

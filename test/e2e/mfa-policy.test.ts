import * as oidc from "openid-client";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openBrowser } from "./support/browser";
import {
  adminApi,
  callbackInput,
  codeRequest,
  createUser,
  discover,
  pkceChecks,
  type RegisteredClient,
  receiverForSuite,
  registerClient,
  verifyWithJose,
} from "./support/oidc-rp";
import { codeIn, seenIds, waitForMessage } from "./support/outbox";

/**
 * The MFA policy and step-up as an app sees them (openid-client, ID tokens checked with jose): an app whose
 * policy requires two factors gets `acr` loa:2 and `amr` [pwd, otp, mfa] after a password and an emailed
 * code; an app asking `acr_values` loa:2 of a single-factor session steps it up in place; `prompt=none`
 * cannot, and says `interaction_required`. The global policy, set through the admin API, holds the same way.
 */
const MFA = "urn:gatehouse:loa:2";

const rp = receiverForSuite();

async function appFor(metadata: Record<string, unknown>): Promise<{ client: RegisteredClient; config: oidc.Configuration }> {
  const client = await registerClient({
    redirect_uris: [rp.redirectUri],
    grant_types: ["authorization_code"],
    scope: "openid email",
    first_party: true,
    ...metadata,
  });
  return { client, config: await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret ?? "")) };
}

/** One authorization request; `walk` gets the browser through Gatehouse's pages. Answers the ID token's claims, or the error. */
async function authorize(page: Page, app: { client: RegisteredClient; config: oidc.Configuration }, extra: Record<string, string>, walk: () => Promise<void>) {
  const checks = await pkceChecks();
  const from = rp.receiver.received.length;
  await page.goto(oidc.buildAuthorizationUrl(app.config, { ...codeRequest(rp.redirectUri, checks, "openid email"), ...extra }).href);
  await walk();
  const callback = await rp.receiver.waitFor((request) => request.url.pathname === "/cb", { from });
  if (callback.url.searchParams.has("error")) return { error: callback.url.searchParams.get("error"), claims: null };
  const tokens = await oidc.authorizationCodeGrant(app.config, callbackInput(rp.receiver, callback), {
    pkceCodeVerifier: checks.verifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  return { error: null, claims: (await verifyWithJose(tokens.id_token ?? "", { audience: app.client.client_id })).payload };
}

async function passwordStep(page: Page, user: { email: string; password: string }) {
  await page.waitForURL("**/login?**");
  await page.fill("#email", user.email);
  await page.fill("#password", user.password);
  await Promise.all([page.waitForURL("**/login/mfa**"), page.click('form[action="/login"] button[type="submit"]')]);
}

/** The second step by emailed code, read from the development outbox. */
async function emailCodeStep(page: Page, email: string, leavesFor: (url: URL) => boolean) {
  const seen = await seenIds(email);
  await Promise.all([page.waitForLoadState("load"), page.click('form[action="/login/mfa/email/send"] button')]);
  const mail = await waitForMessage(email, (message) => /\d{6}/.test(message.text), { seen });
  await page.fill("#email-code", codeIn(mail));
  await Promise.all([page.waitForURL(leavesFor), page.click('form[action="/login/mfa/email"] button[type="submit"]')]);
}

describe("MFA policy and step-up seen by an app", () => {
  it("an app requiring MFA gets loa:2 and pwd+otp+mfa; a later loa:2 request rides on that session; a weak session steps up", async () => {
    const strict = await appFor({ mfa_policy: "required" });
    const relaxed = await appFor({ mfa_policy: "off" });
    const user = await createUser("mfa-policy");
    const browser = await openBrowser();
    try {
      const { page, context } = browser;
      const toApp = (url: URL) => url.origin === rp.receiver.origin;

      const first = await authorize(page, strict, {}, async () => {
        await passwordStep(page, user);
        // No session until the second factor.
        expect(await context.cookies().then((cookies) => cookies.some((cookie) => cookie.name === "__Host-gh_session"))).toBe(false);
        await emailCodeStep(page, user.email, toApp);
      });
      expect(first.claims?.acr).toBe(MFA);
      expect(first.claims?.amr).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]));

      // The session is multi-factor: an app asking loa:2 gets a code without any page.
      const again = await authorize(page, relaxed, { acr_values: MFA }, async () => {});
      expect(again.claims?.acr).toBe(MFA);

      // A fresh, single-factor session (the relaxed app does not ask for more) …
      await context.clearCookies();
      const single = await authorize(page, relaxed, {}, async () => {
        await page.waitForURL("**/login?**");
        await page.fill("#email", user.email);
        await page.fill("#password", user.password);
        await Promise.all([page.waitForURL(toApp), page.click('form[action="/login"] button[type="submit"]')]);
      });
      expect(single.claims?.acr).toBe("urn:gatehouse:loa:1");
      expect(single.claims?.amr).toEqual(["pwd"]);
      // … cannot be stepped up silently …
      const silent = await authorize(page, relaxed, { acr_values: MFA, prompt: "none" }, async () => {});
      expect(silent.error).toBe("interaction_required");
      // … and is stepped up in place with a second factor when the user can be asked.
      const stepped = await authorize(page, relaxed, { acr_values: MFA }, async () => {
        await page.waitForURL("**/login/mfa?step_up=1");
        await emailCodeStep(page, user.email, toApp);
      });
      expect(stepped.claims?.acr).toBe(MFA);
      expect(stepped.claims?.sub).toBe(user.id);
      expect(Number(stepped.claims?.auth_time)).toBeGreaterThanOrEqual(Number(single.claims?.auth_time));
    } finally {
      await browser.close();
    }
  });

  it("the global policy set through the admin API asks every login for a second factor", async () => {
    const user = await createUser("mfa-global");
    expect((await adminApi("PUT", "/settings/mfa", { policy: "required" })).status).toBe(200);
    const browser = await openBrowser();
    try {
      const { page } = browser;
      await page.goto("/login");
      await page.fill("#email", user.email);
      await page.fill("#password", user.password);
      await Promise.all([page.waitForURL("**/login/mfa"), page.click('form[action="/login"] button[type="submit"]')]);
      // Skipping ahead does not work: the account page leads back to the second step.
      await page.goto("/account");
      expect(new URL(page.url()).pathname).toBe("/login/mfa");
      await emailCodeStep(page, user.email, (url) => url.pathname === "/account");
      expect(await page.textContent('[data-testid="account-email"]')).toBe(user.email);
    } finally {
      await adminApi("PUT", "/settings/mfa", { policy: "optional" });
      await browser.close();
    }
  });
});

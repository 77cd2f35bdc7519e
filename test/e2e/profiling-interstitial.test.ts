import * as oidc from "openid-client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "./support/accounts";
import { type BrowserSession, openBrowser } from "./support/browser";
import { baseUrl } from "./support/http-client";
import {
  adminApi,
  callbackInput,
  codeRequest,
  createUser,
  discover,
  pkceChecks,
  type Receiver,
  registerClient,
  startReceiver,
  verifyWithJose,
  walkInBrowser,
} from "./support/oidc-rp";

/**
 * Progressive profiling end to end: an operator's schema through the admin API, the interstitial after the
 * n-th login in Chromium (skip, then answer), the answer on the account page, and in the ID token and
 * userinfo as openid-client receives them. The worker is shared with other files: the schema is emptied after.
 */

const SCHEMA = [
  { key: "given_name", type: "text", label: { en: "First name", de: "Vorname" }, ask: { when: "after_logins", n: 2 }, max_length: 50 },
  { key: "newsletter", type: "boolean", label: { en: "Send me the newsletter", de: "Newsletter senden" }, ask: { when: "after_logins", n: 2 } },
  {
    key: "tier",
    type: "select",
    label: { en: "Membership", de: "Mitgliedschaft" },
    required: true,
    ask: { when: "scope", scopes: ["loyalty"] },
    options: [
      { value: "basic", label: { en: "Basic", de: "Basis" } },
      { value: "gold", label: { en: "Gold", de: "Gold" } },
    ],
  },
];

let receiver: Receiver;
let chromium: BrowserSession;

beforeAll(async () => {
  const { status, body } = await adminApi("PUT", "/profile-schema", { fields: SCHEMA });
  expect(status, JSON.stringify(body)).toBe(200);
  receiver = await startReceiver();
  chromium = await openBrowser();
});
afterAll(async () => {
  await adminApi("PUT", "/profile-schema", { fields: [] });
  await chromium?.close();
  await receiver?.close();
});

/** A login through the form in a browser without cookies; answers the path the login lands on. */
async function logIn(page: Page, account: Account): Promise<string> {
  await chromium.context.clearCookies();
  await page.goto("/login");
  await page.fill("#email", account.email);
  await page.fill("#password", account.password);
  await Promise.all([page.waitForURL((url) => url.pathname !== "/login"), page.click('form[action="/login"] button[type="submit"]')]);
  const url = new URL(page.url());
  return url.pathname + url.search;
}

const PROMPT = "/profile/complete?return_to=%2Faccount";

describe("progressive profiling in Chromium", () => {
  it("asks after the 2nd login, lets the customer skip, asks again later, and the answer reaches the account page and the ID token", async () => {
    const user = await createUser("profiling");
    const { page } = chromium;
    expect(await logIn(page, user)).toBe("/account");
    expect(await logIn(page, user)).toBe(PROMPT);
    await expect.poll(() => page.textContent("h1")).toBe("A few details about you");
    expect(await page.locator("[data-field]").count()).toBe(2);
    await Promise.all([page.waitForURL("**/account"), page.getByRole("button", { name: "Not now", exact: true }).click()]);
    expect(await logIn(page, user)).toBe("/account");
    expect(await logIn(page, user)).toBe("/account");
    expect(await logIn(page, user)).toBe(PROMPT);
    await page.getByLabel("First name (optional)").fill("Ann");
    await page.getByLabel("Yes").check();
    await Promise.all([page.waitForURL("**/account"), page.getByRole("button", { name: "Save and continue", exact: true }).click()]);

    await page.goto("/account");
    await Promise.all([page.waitForURL("**/account/profile-details"), page.getByRole("link", { name: "Edit your profile details" }).click()]);
    expect(await page.inputValue("#profile-given_name")).toBe("Ann");
    expect(await page.isChecked('input[name="newsletter"][value="true"]')).toBe(true);

    const client = await registerClient({
      redirect_uris: [`${receiver.origin}/cb`],
      scope: "openid profile email",
      first_party: true,
    });
    const config = await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret ?? ""));
    const checks = await pkceChecks();
    const { callback } = await walkInBrowser(
      page,
      oidc.buildAuthorizationUrl(config, codeRequest(`${receiver.origin}/cb`, checks, "openid profile")),
      receiver,
    );
    const tokens = await oidc.authorizationCodeGrant(config, callbackInput(receiver, callback), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    expect(claims?.given_name).toBe("Ann");
    expect(claims?.[`${baseUrl()}/claims/newsletter`]).toBe(true);
    // Signature and issuer checked independently of openid-client.
    expect((await verifyWithJose(tokens.id_token ?? "", { audience: client.client_id })).payload.given_name).toBe("Ann");
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? "");
    expect(userinfo.given_name).toBe("Ann");
  });

  it("asks for a field the app's scope needs in the middle of the authorization, with no Not now, then continues to the app", async () => {
    const user = await createUser("profiling-scope");
    const client = await registerClient({ redirect_uris: [`${receiver.origin}/cb`], scope: "openid profile loyalty", first_party: true });
    const config = await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret ?? ""));
    const checks = await pkceChecks();
    const { page } = chromium;
    await chromium.context.clearCookies();
    const from = receiver.received.length;
    await page.goto(oidc.buildAuthorizationUrl(config, codeRequest(`${receiver.origin}/cb`, checks, "openid loyalty")).toString());
    await page.fill("#email", user.email);
    await page.fill("#password", user.password);
    await Promise.all([page.waitForURL("**/profile/complete**"), page.click('form[action="/login"] button[type="submit"]')]);
    expect(await page.locator("[data-field]").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Not now" }).count()).toBe(0);
    // An unanswered required field is refused by the server (the form has novalidate).
    await page.getByRole("button", { name: "Save and continue", exact: true }).click();
    await expect.poll(() => page.textContent(".field-error")).toBe("Please answer this question.");
    await page.selectOption("#profile-tier", "gold");
    await page.getByRole("button", { name: "Save and continue", exact: true }).click();
    const callback = await receiver.waitFor((request) => request.url.pathname === "/cb", { from });
    const tokens = await oidc.authorizationCodeGrant(config, callbackInput(receiver, callback), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()?.[`${baseUrl()}/claims/tier`]).toBe("gold");
  });
});

import { randomInt } from "node:crypto";
import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { browsersClosedAfterEach } from "./support/browser";
import { adminApi, callbackInput, codeRequest, createUser, discover, pkceChecks, receiverForSuite, registerClient } from "./support/oidc-rp";
import { codeIn, seenIds, waitForMessage } from "./support/outbox";

// Issue 6 gaps, end to end in Chromium: the app's branding on every step of the journey (second step and
// its emailed code), and the phone step of an app that requires a verified phone before it gets tokens.

const suite = receiverForSuite();
const openBrowser = browsersClosedAfterEach();

function newMobile(): string {
  return `+49151${String(randomInt(100_000_000)).padStart(8, "0")}`;
}

async function brandedApp(name: string, metadata: Record<string, unknown>) {
  const app = await registerClient({ redirect_uris: [suite.redirectUri], scope: "openid email phone", first_party: true, ...metadata });
  const branded = await adminApi("PUT", `/branding/clients/${app.client_id}`, { name, colors: { primary: "#aa3300" } });
  expect(branded.status).toBe(200);
  return app;
}

describe("issue 6 journeys in Chromium", () => {
  it("an app that requires a verified phone: login, phone step by SMS code, then tokens; every page wears the app's brand", async () => {
    const account = await createUser("i6-phone");
    const app = await brandedApp("Phone Shop E2E", { require_verified: ["phone"], mfa_policy: "off" });
    const config = await discover(app.client_id, undefined, oidc.ClientSecretBasic(app.client_secret ?? ""));
    const checks = await pkceChecks();
    const authorize = oidc.buildAuthorizationUrl(config, codeRequest(suite.redirectUri, checks, "openid email phone"));
    const { page } = await openBrowser();

    await page.goto(authorize.pathname + authorize.search);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.textContent("body")).toContain("Phone Shop E2E");
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await Promise.all([page.waitForURL("**/verify/required?**"), page.click('form[action="/login"] button[type="submit"]')]);
    expect(await page.textContent("body")).toContain("Phone Shop E2E");

    await Promise.all([page.waitForURL("**/verify/phone?**"), page.click('a[href^="/verify/phone?"]')]);
    const body = (await page.textContent("body")) ?? "";
    expect(body).toContain("Phone Shop E2E");
    expect(body).toContain("needs a verified mobile number");
    expect(await page.locator("text=Not now").count()).toBe(0);

    // A bad number first: refused on the page, nothing sent.
    await page.fill("#phone", "12345");
    await page.click('form[action="/verify/phone"] button[type="submit"]');
    await expect.poll(() => page.textContent("#phone-error")).toContain("valid mobile number");

    const phone = newMobile();
    const seen = await seenIds(phone);
    await page.fill("#phone", phone);
    await page.click('form[action="/verify/phone"] button[type="submit"]');
    await expect.poll(() => page.locator('form[action="/verify/phone/confirm"]').count()).toBe(1);
    const text = await waitForMessage(phone, (message) => message.channel === "sms", { seen });
    await page.fill("#code", codeIn(text));
    const callback = suite.receiver.waitFor((request) => request.url.pathname === "/cb");
    await page.click('form[action="/verify/phone/confirm"] button[type="submit"]');
    const received = await callback;
    const tokens = await oidc.authorizationCodeGrant(config, callbackInput(suite.receiver, received), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
    });
    // /authorize hands out a code only once the phone is verified (it checks again on every request).
    expect(tokens.claims()?.email).toBe(account.email);
  });

  it("the second step and its emailed code carry the app's brand", async () => {
    const account = await createUser("i6-mfa");
    const app = await brandedApp("Second Step E2E", { mfa_policy: "required" });
    const config = await discover(app.client_id, undefined, oidc.ClientSecretBasic(app.client_secret ?? ""));
    const checks = await pkceChecks();
    const authorize = oidc.buildAuthorizationUrl(config, codeRequest(suite.redirectUri, checks, "openid email"));
    const { page } = await openBrowser();
    await page.goto(authorize.pathname + authorize.search);
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await Promise.all([page.waitForURL("**/login/mfa"), page.click('form[action="/login"] button[type="submit"]')]);
    expect(await page.textContent("body")).toContain("Second Step E2E");
    const primary = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--gh-primary").trim());
    expect(primary).toBe("#aa3300");

    const seen = await seenIds(account.email);
    await page.click('form[action="/login/mfa/email/send"] button[type="submit"]');
    const mail = await waitForMessage(account.email, (message) => /verification code/.test(message.subject ?? ""), { seen });
    expect(mail.text).toContain("Second Step E2E");
    expect(mail.html).toContain("#aa3300");
    await page.fill("#email-code", codeIn(mail));
    const callback = suite.receiver.waitFor((request) => request.url.pathname === "/cb");
    await page.click('form[action="/login/mfa/email"] button[type="submit"]');
    expect((await callback).url.searchParams.get("code")).toBeTruthy();
  });
});

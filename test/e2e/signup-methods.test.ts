import { randomInt } from "node:crypto";
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { brandedApp } from "./branding-support";
import { type BrowserSession, openBrowser } from "./support/browser";
import { codeIn, newEmail, type OutboxMessage, waitForMessage } from "./support/outbox";

const CALLBACK = /^http:\/\/127\.0\.0\.1:9\/callback\?/;

/** From the app's /authorize to its sign-up page, by the login page's "Sign up" link. */
async function openSignup(page: Page, authorizePath: string): Promise<void> {
  await page.goto(authorizePath);
  await Promise.all([page.waitForURL("**/signup?return_to=*"), page.click('a[href^="/signup?return_to="]')]);
}

describe("passwordless sign-up in Chromium, through the dev outbox", () => {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });

  it("signs up by email code and lands back in the app that sent the customer", async () => {
    const app = await brandedApp({ name: "Code App", signup_methods: ["email_code", "sms", "password"] });
    const browser = await openBrowser();
    opened.push(browser);
    const { page } = browser;
    await openSignup(page, await app.authorizePath());
    const links = await page.$$eval(".card a", (anchors) => anchors.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    expect(links.indexOf("/signup/code")).toBeLessThan(links.indexOf("/signup/sms"));
    await Promise.all([page.waitForURL("**/signup/code?return_to=*"), page.click('a[href^="/signup/code"]')]);
    expect(await page.getAttribute("#email", "autocomplete")).toBe("email");
    const email = newEmail("e2e-code-signup");
    await page.fill("#email", email);
    await page.fill("#name", "Erin Code");
    await Promise.all([page.waitForURL("**/signup/code"), page.click('form[action="/signup/code"] button[type="submit"]')]);
    const mail = await waitForMessage(email, (message: OutboxMessage) => /^Your sign-up code/.test(message.subject ?? ""));
    expect(await page.getAttribute("#code", "autocomplete")).toBe("one-time-code");
    await page.fill("#code", codeIn(mail));
    const [callback] = await Promise.all([page.waitForRequest(CALLBACK), page.click('form[action="/signup/code/verify"] button[type="submit"]')]);
    expect(new URL(callback.url()).searchParams.get("code")).toBeTruthy();
  });

  it("signs up by SMS: texted code, then the emailed link opened in the same browser", async () => {
    const app = await brandedApp({ signup_methods: ["sms"] });
    const browser = await openBrowser();
    opened.push(browser);
    const { page } = browser;
    await openSignup(page, await app.authorizePath());
    await Promise.all([page.waitForURL("**/signup/sms?return_to=*"), page.click('a[href^="/signup/sms"]')]);
    expect(await page.getAttribute("#phone", "autocomplete")).toBe("tel");
    const email = newEmail("e2e-sms-signup");
    const phone = `+49151${String(randomInt(100_000_000)).padStart(8, "0")}`;
    await page.fill("#email", email);
    await page.fill("#phone", phone);
    await Promise.all([page.waitForURL("**/signup/sms"), page.click('form[action="/signup/sms"] button[type="submit"]')]);
    const text = await waitForMessage(phone, (message: OutboxMessage) => message.channel === "sms");
    await page.fill("#code", codeIn(text));
    await Promise.all([page.waitForURL("**/signup/sms/verify"), page.click('form[action="/signup/sms/verify"] button[type="submit"]')]);
    expect(await page.textContent("main")).toContain(`Phone verified — we sent a link to ${email} to finish.`);
    const mail = await waitForMessage(email, (message: OutboxMessage) => message.subject === "Finish creating your account");
    const link = /http:\/\/localhost:\d+(\/signup\/link\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] ?? "";
    expect(link).not.toBe("");
    await page.goto(link);
    const [callback] = await Promise.all([page.waitForRequest(CALLBACK), page.click('form[action="/signup/link/confirm"] button[type="submit"]')]);
    expect(new URL(callback.url()).searchParams.get("code")).toBeTruthy();
  });
});

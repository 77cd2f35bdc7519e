import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { totpCode } from "../helpers/totp";
import { createVerifiedAccount } from "./support/accounts";
import { type BrowserSession, logInWithForm, openBrowser } from "./support/browser";
import { SESSION_COOKIE } from "./support/http-client";
import { waitForMessage } from "./support/outbox";

/** Waits until at least 4 s remain in the current step, so the code typed is checked in the step it was made for. */
async function awayFromStepEdge(): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 4000) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

async function passwordThenSecondStep(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto("/login");
  await page.fill("#email", account.email);
  await page.fill("#password", account.password);
  await Promise.all([page.waitForURL("**/login/mfa"), page.click('form[action="/login"] button[type="submit"]')]);
}

describe("authenticator app and recovery codes in Chromium", () => {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });

  it("enrols an app from the typed key, then logs in with its code and with a recovery code", async () => {
    const browser = await openBrowser();
    opened.push(browser);
    const { page, context } = browser;
    const account = await createVerifiedAccount("totp");
    await logInWithForm(page, account);

    await page.goto("/account/totp");
    await page.click('form[action="/account/totp/setup"] button[type="submit"]');
    await expect.poll(() => page.isVisible('[data-testid="totp-qr"]')).toBe(true);
    const qr = await page.getAttribute('[data-testid="totp-qr"]', "src");
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    // The QR image really renders (an SVG the browser can decode, square and non-empty).
    const size = await page.$eval('[data-testid="totp-qr"]', (image) => [(image as HTMLImageElement).naturalWidth, (image as HTMLImageElement).naturalHeight]);
    expect(size[0]).toBeGreaterThan(0);
    expect(size[0]).toBe(size[1]);
    const secret = ((await page.textContent('[data-testid="totp-secret"]')) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getAttribute('[data-testid="totp-uri"]', "href")).toContain(`secret=${secret}`);
    expect(await page.getAttribute("#code", "autocomplete")).toBe("one-time-code");

    await awayFromStepEdge();
    await page.fill("#code", totpCode(secret));
    await page.click('form[action="/account/totp/confirm"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Recovery codes");
    const recoveryCodes = await page.$$eval('[data-testid="recovery-codes"] code', (nodes) => nodes.map((node) => node.textContent ?? ""));
    expect(recoveryCodes).toHaveLength(10);
    await waitForMessage(account.email, (message) => message.subject === "A new way to log in was added");

    // Next login: the password, then the app's code.
    await context.clearCookies({ name: SESSION_COOKIE });
    await passwordThenSecondStep(page, account);
    expect(await page.textContent("h1")).toBe("Confirm it's you");
    await page.fill("#totp-code", totpCode(secret, 1));
    await Promise.all([page.waitForURL("**/account"), page.click('form[action="/login/mfa/totp"] button[type="submit"]')]);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(account.email);

    // And the same code a second time is refused.
    await context.clearCookies({ name: SESSION_COOKIE });
    await passwordThenSecondStep(page, account);
    await page.fill("#totp-code", totpCode(secret, 1));
    await page.click('form[action="/login/mfa/totp"] button[type="submit"]');
    await expect.poll(() => page.textContent(".field-error")).toContain("That code is not valid.");

    // A recovery code instead of the app.
    await page.click('a[href="/login/mfa?method=recovery_code"]');
    await page.fill("#recovery-code", recoveryCodes[0] ?? "");
    await Promise.all([page.waitForURL("**/account"), page.click('form[action="/login/mfa/recovery"] button[type="submit"]')]);
    const notice = await waitForMessage(account.email, (message) => message.subject === "A recovery code was used");
    expect(notice.text).toContain("Unused codes left: 9");
  });
});

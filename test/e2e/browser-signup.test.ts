import { afterEach, describe, expect, it } from "vitest";
import { type BrowserSession, logInWithForm, openBrowser, pathAfterOpeningAccount } from "./support/browser";
import { SESSION_COOKIE } from "./support/http-client";
import { codeIn, isVerification, linkIn, newEmail, newPassword, waitForMessage } from "./support/outbox";

describe("sign-up, verification and login in Chromium", () => {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });
  const open = async (options?: { locale?: string }) => {
    const browser = await openBrowser(options);
    opened.push(browser);
    return browser;
  };

  it("signs up, verifies by link, logs in, shows the account and logs out", async () => {
    const { page, context } = await open();
    const account = { email: newEmail("link"), password: newPassword() };

    await page.goto("/signup");
    expect(await page.getAttribute("#email", "autocomplete")).toBe("email");
    expect(await page.getAttribute("#password", "autocomplete")).toBe("new-password");
    await page.fill("#email", account.email);
    await page.fill("#name", "Ada Link");
    await page.fill("#password", account.password);
    await page.click('form[action="/signup"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Check your email");
    expect(await page.textContent("main")).toContain(account.email);
    expect(await page.getAttribute("#code", "autocomplete")).toBe("one-time-code");

    const link = linkIn(await waitForMessage(account.email, isVerification), "/verify");
    expect(new URL(link).origin).toBe(new URL(page.url()).origin);
    await page.goto(link);
    // Opening the link only asks; the button posts.
    await expect.poll(() => page.textContent("h1")).toBe("Confirm your email address");
    expect(await page.textContent("main")).toContain(account.email);
    await page.click('form[action="/verify"] button[type="submit"]');
    await expect.poll(() => page.textContent(".notice")).toContain("Your email address is verified");

    await page.goto("/login");
    expect(await page.getAttribute("#email", "autocomplete")).toBe("username webauthn");
    expect(await page.getAttribute("#password", "autocomplete")).toBe("current-password");
    await logInWithForm(page, account);
    expect(await page.inputValue("#name")).toBe("Ada Link");

    const cookie = (await context.cookies()).find((candidate) => candidate.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/", domain: "localhost" });
    // `__Host-` cookies carry no Domain attribute, so they stay on this exact host.
    expect(cookie?.value).toMatch(/^[\w-]{22}\.[\w-]{43}$/);

    await Promise.all([page.waitForURL("**/login?notice=logged_out"), page.click('form[action="/logout"] button[type="submit"]')]);
    expect(await page.textContent(".notice")).toContain("You have logged out.");
    expect((await context.cookies()).some((candidate) => candidate.name === SESSION_COOKIE)).toBe(false);
    expect(await pathAfterOpeningAccount(page)).toBe("/login");
  });

  it("verifies by typing the 6-digit code on the check-email page", async () => {
    const { page } = await open();
    const account = { email: newEmail("code"), password: newPassword() };

    await page.goto("/signup");
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await page.click('form[action="/signup"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Check your email");

    const code = codeIn(await waitForMessage(account.email, isVerification));
    await page.fill("#code", code);
    await page.click('form[action="/verify/code"] button[type="submit"]');
    await expect.poll(() => page.textContent(".notice")).toContain("Your email address is verified");

    await logInWithForm(page, account);
  });

  it("asks an unverified account to verify instead of logging it in", async () => {
    const { page, context } = await open();
    const account = { email: newEmail("unverified"), password: newPassword() };
    await page.goto("/signup");
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await page.click('form[action="/signup"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Check your email");

    await page.goto("/login");
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await page.click('form[action="/login"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Check your email");
    expect(await page.textContent(".notice")).toContain("Please verify your email address first");
    expect((await context.cookies()).some((candidate) => candidate.name === SESSION_COOKIE)).toBe(false);
  });
});

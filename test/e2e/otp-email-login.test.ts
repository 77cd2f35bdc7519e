import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "./support/accounts";
import { browsersClosedAfterEach } from "./support/browser";
import { SESSION_COOKIE } from "./support/http-client";
import { codeIn, type OutboxMessage, seenIds, waitForMessage } from "./support/outbox";

const isLoginCode = (message: OutboxMessage): boolean => Boolean(message.subject?.startsWith("Your login code"));
const isMagicLink = (message: OutboxMessage): boolean => message.subject === "Your login link";

/** The magic link in a message: `/login/link/<token>`. */
function magicLinkIn(message: OutboxMessage): string {
  const link = message.text.match(/https?:\/\/\S+/g)?.find((url) => new URL(url).pathname.startsWith("/login/link/"));
  if (!link) throw new Error(`no magic link in:\n${message.text}`);
  return link;
}

describe("passwordless email login in Chromium", () => {
  const open = browsersClosedAfterEach();

  it("logs in with an emailed code, starting from the login page", async () => {
    const { page, context } = await open();
    const account = await createVerifiedAccount("email-code");
    const seen = await seenIds(account.email);
    await page.goto("/login");
    await page.click('a[href="/login/code"]');
    await page.fill("#email", account.email);
    await page.click('form[action="/login/code"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Enter your code");
    expect(await page.getAttribute("#code", "autocomplete")).toBe("one-time-code");
    const code = codeIn(await waitForMessage(account.email, isLoginCode, { seen }));
    await page.fill("#code", code);
    await Promise.all([page.waitForURL("**/account"), page.click('form[action="/login/code/verify"] button[type="submit"]')]);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(account.email);
    expect((await context.cookies()).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(true);
  });

  it("logs in with a magic link in the same browser, after a confirmation click", async () => {
    const { page, context } = await open();
    const account = await createVerifiedAccount("magic");
    await page.goto("/login");
    await page.click('a[href="/login/link"]');
    await page.fill("#email", account.email);
    await page.click('form[action="/login/link"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Check your email");
    const link = magicLinkIn(await waitForMessage(account.email, isMagicLink));
    await page.goto(link);
    await expect.poll(() => page.textContent("h1")).toBe("Confirm your login");
    expect((await context.cookies()).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
    await Promise.all([page.waitForURL("**/account"), page.click('form[action="/login/link/confirm"] button[type="submit"]')]);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(account.email);

    // The link works once.
    await page.goto(link);
    await expect.poll(() => page.textContent(".notice")).toContain("This login link is invalid, already used or expired.");
  });

  it("opened in another browser, the link shows a code that logs in the browser that asked", async () => {
    const asking = await open();
    const phone = await open();
    const account = await createVerifiedAccount("magic-other");
    await asking.page.goto("/login/link");
    await asking.page.fill("#email", account.email);
    await asking.page.click('form[action="/login/link"] button[type="submit"]');
    await expect.poll(() => asking.page.textContent("h1")).toBe("Check your email");
    const message = await waitForMessage(account.email, isMagicLink);

    await phone.page.goto(magicLinkIn(message));
    await expect.poll(() => phone.page.textContent("h1")).toBe("Continue on the other device");
    const shown = (await phone.page.textContent('[data-testid="magic-link-code"]')) ?? "";
    expect(shown).toBe(codeIn(message));
    expect((await phone.context.cookies()).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);

    await asking.page.fill("#code", shown);
    await Promise.all([asking.page.waitForURL("**/account"), asking.page.click('form[action="/login/link/code"] button[type="submit"]')]);
    await expect.poll(() => asking.page.textContent('[data-testid="account-email"]')).toBe(account.email);
    expect((await phone.context.cookies()).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
  });
});

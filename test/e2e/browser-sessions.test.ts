import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "./support/accounts";
import { browsersClosedAfterEach, logInWithForm, pathAfterOpeningAccount } from "./support/browser";
import { isReset, linkIn, newPassword, seenIds, waitForMessage } from "./support/outbox";

describe("password reset and sessions in Chromium", () => {
  const open = browsersClosedAfterEach();

  it("resets a forgotten password: the old one stops working, the new one works, other sessions end", async () => {
    const account = await createVerifiedAccount("reset");
    const elsewhere = await open();
    await logInWithForm(elsewhere.page, account);

    const { page } = await open();
    const before = await seenIds(account.email);
    await page.goto("/login");
    await Promise.all([page.waitForURL("**/forgot"), page.click('a[href="/forgot"]')]);
    expect(await page.getAttribute("#email", "autocomplete")).toBe("email");
    await page.fill("#email", account.email);
    await page.click('form[action="/forgot"] button[type="submit"]');
    await expect.poll(() => page.textContent(".notice")).toContain(`If an account exists for ${account.email}`);

    const link = linkIn(await waitForMessage(account.email, isReset, { seen: before }), "/reset");
    await page.goto(link);
    expect(await page.getAttribute("#password", "autocomplete")).toBe("new-password");
    const newPasswordValue = newPassword();
    await page.fill("#password", newPasswordValue);
    await page.click('form[action="/reset"] button[type="submit"]');
    await expect.poll(() => page.textContent(".notice")).toContain("Your password has been changed");

    // The link works once.
    await page.goto(link);
    expect(await page.textContent(".notice")).toContain("This reset link is invalid, already used or expired");

    await page.goto("/login");
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await page.click('form[action="/login"] button[type="submit"]');
    await expect.poll(() => page.textContent(".notice")).toBe("Incorrect email address or password.");

    await logInWithForm(page, { email: account.email, password: newPasswordValue });
    expect(await pathAfterOpeningAccount(elsewhere.page)).toBe("/login");
  });

  it("logs out everywhere from the account page, ending the session in another browser too", async () => {
    const account = await createVerifiedAccount("everywhere");
    const first = await open();
    const second = await open();
    await logInWithForm(first.page, account);
    await logInWithForm(second.page, account);
    expect(await first.page.locator("tr[data-session-id]").count()).toBe(1);
    await first.page.reload();
    expect(await first.page.locator("tr[data-session-id]").count()).toBe(2);

    await Promise.all([first.page.waitForURL("**/login?notice=logged_out"), first.page.click('form[action="/logout/everywhere"] button[type="submit"]')]);
    expect(await pathAfterOpeningAccount(first.page)).toBe("/login");
    expect(await pathAfterOpeningAccount(second.page)).toBe("/login");
  });

  it("logs out one other session from the session list, then the current one", async () => {
    const account = await createVerifiedAccount("one-session");
    const first = await open();
    const second = await open();
    await logInWithForm(second.page, account);
    await logInWithForm(first.page, account);

    const rows = first.page.locator("tr[data-session-id]");
    expect(await rows.count()).toBe(2);
    const other = rows.filter({ hasNotText: "(This device)" });
    expect(await other.count()).toBe(1);
    await Promise.all([first.page.waitForURL("**/account?notice=session_revoked"), other.locator('button[type="submit"]').click()]);
    expect(await first.page.textContent(".notice")).toContain("That session has been logged out.");
    expect(await first.page.locator("tr[data-session-id]").count()).toBe(1);
    expect(await pathAfterOpeningAccount(second.page)).toBe("/login");
    expect(await pathAfterOpeningAccount(first.page)).toBe("/account");

    const current = first.page.locator("tr[data-session-id]", { hasText: "(This device)" });
    await Promise.all([first.page.waitForURL("**/login?notice=logged_out"), current.locator('button[type="submit"]').click()]);
    expect(await pathAfterOpeningAccount(first.page)).toBe("/login");
  });

  it("logs out all other sessions but keeps this one", async () => {
    const account = await createVerifiedAccount("others");
    const first = await open();
    const second = await open();
    await logInWithForm(second.page, account);
    await logInWithForm(first.page, account);

    await Promise.all([
      first.page.waitForURL("**/account?notice=others_revoked"),
      first.page.click('form[action="/account/sessions/revoke-others"] button[type="submit"]'),
    ]);
    expect(await first.page.locator("tr[data-session-id]").count()).toBe(1);
    expect(await pathAfterOpeningAccount(second.page)).toBe("/login");
    expect(await pathAfterOpeningAccount(first.page)).toBe("/account");
  });
});

import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "./support/accounts";
import { type BrowserSession, browsersClosedAfterEach, logInWithForm, pathAfterOpeningAccount } from "./support/browser";
import { connectUrl } from "./support/http-client";
import { linkIn, newEmail, waitForMessage } from "./support/outbox";
import { addVirtualAuthenticator, recordMediations, withoutPasskeyAutofill } from "./support/webauthn";

const isSignupLink = (message: { text: string }) => message.text.includes("/signup/passkey/continue?token=");

describe("passkeys in Chromium with a virtual authenticator", () => {
  const open = browsersClosedAfterEach();

  /** Passwordless sign-up through the pages; ends logged in on /account. */
  async function signUpWithPasskey(browser: BrowserSession): Promise<string> {
    const { page } = browser;
    const email = newEmail("passkey");
    await page.goto("/signup");
    await Promise.all([page.waitForURL("**/signup/passkey"), page.click('a[href="/signup/passkey"]')]);
    await page.fill("#email", email);
    await page.click('form[action="/signup/passkey"] button[type="submit"]');
    await expect.poll(() => page.textContent("h1")).toBe("Check your email");
    const link = linkIn(await waitForMessage(email, isSignupLink), "/signup/passkey/continue");
    await page.goto(link);
    expect(await page.textContent("main")).toContain(email);
    await Promise.all([page.waitForURL("**/account"), page.click("#passkey-signup")]);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(email);
    return email;
  }

  async function logOut(browser: BrowserSession): Promise<void> {
    await Promise.all([browser.page.waitForURL("**/login?notice=logged_out"), browser.page.click('form[action="/logout"] button[type="submit"]')]);
  }

  it("signs up without a password using a platform passkey, then logs in with the passkey button", async () => {
    const browser = await open();
    await withoutPasskeyAutofill(browser.page);
    const authenticator = await addVirtualAuthenticator(browser.page, "internal");
    const email = await signUpWithPasskey(browser);
    const [credential] = await authenticator.credentials();
    expect(credential?.isResidentCredential).toBe(true);

    await browser.page.goto("/account/passkeys");
    expect(await browser.page.locator('[data-testid="passkey-row"]').count()).toBe(1);
    expect(await browser.page.textContent('[data-testid="passkey-kind"]')).toContain("Device-bound");

    await browser.page.goto("/account");
    await logOut(browser);
    expect(await pathAfterOpeningAccount(browser.page)).toBe("/login");
    await Promise.all([browser.page.waitForURL("**/account"), browser.page.click("#passkey-login")]);
    await expect.poll(() => browser.page.textContent('[data-testid="account-email"]')).toBe(email);
    expect((await authenticator.credentials())[0]?.signCount).toBeGreaterThan(0);
  });

  it("offers the passkey in the email field (conditional mediation) and logs in from the autofill", async () => {
    const browser = await open();
    const recorded = await recordMediations(browser.page);
    const authenticator = await addVirtualAuthenticator(browser.page, "internal");
    const email = await signUpWithPasskey(browser);
    expect(await authenticator.credentials()).toHaveLength(1);
    // A new browser session (cookies gone) rather than the logout button, whose redirect to /login would
    // already be answered by the autofill.
    await browser.context.clearCookies();
    recorded.length = 0;
    // The page asks for a conditional credential as soon as it loads (the email field carries
    // "username webauthn"); Chromium's virtual authenticator answers it with its one discoverable passkey,
    // as a user picking it from the autofill list would. No button is pressed.
    const html = await (await fetch(`${connectUrl()}/login`)).text();
    expect(html).toContain('autocomplete="username webauthn"');
    // Only "commit": the autofill answer can navigate away before /login has finished loading.
    await browser.page.goto("/login", { waitUntil: "commit" });
    await browser.page.waitForURL("**/account");
    expect(recorded).toEqual(["conditional"]);
    await expect.poll(() => browser.page.textContent('[data-testid="account-email"]')).toBe(email);
  });

  it("adds a roaming security key to a password account and uses it as the second factor", async () => {
    const account = await createVerifiedAccount("passkey-2fa");
    const browser = await open();
    const { page } = browser;
    await withoutPasskeyAutofill(page);
    await logInWithForm(page, account);
    const key = await addVirtualAuthenticator(page, "usb");
    await page.goto("/account/passkeys");
    await page.fill("#passkey-name", "Blue key");
    await Promise.all([page.waitForURL("**/account/passkeys?notice=added"), page.click("#passkey-add")]);
    expect(await page.textContent('[data-testid="passkey-name"]')).toBe("Blue key");
    expect(await key.credentials()).toHaveLength(1);

    await page.goto("/account");
    await logOut(browser);
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await Promise.all([page.waitForURL("**/login/mfa**"), page.click('form[action="/login"] button[type="submit"]')]);
    // Without the second factor there is no session.
    expect(await pathAfterOpeningAccount(page)).not.toBe("/account");
    await page.goto("/login/mfa?method=passkey");
    await Promise.all([page.waitForURL("**/account"), page.click("#passkey-mfa")]);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(account.email);
  });

  it("shows an error and no session when the passkey belongs to no account here", async () => {
    const browser = await open();
    await withoutPasskeyAutofill(browser.page);
    await addVirtualAuthenticator(browser.page, "internal");
    await browser.page.goto("/login");
    // No passkey for this site in the authenticator: the browser refuses, the page says so and stays.
    await browser.page.click("#passkey-login");
    await expect.poll(() => browser.page.textContent("#passkey-login-status"), { timeout: 20_000 }).toMatch(/cancelled|could not be used/);
    expect(new URL(browser.page.url()).pathname).toBe("/login");
  });

  it("renames a passkey, and deletes the last one of a password-less account only after the warning", async () => {
    const browser = await open();
    const { page } = browser;
    await withoutPasskeyAutofill(page);
    const authenticator = await addVirtualAuthenticator(page, "internal");
    await signUpWithPasskey(browser);
    await page.goto("/account");
    await Promise.all([page.waitForURL("**/account/passkeys"), page.click('a[href="/account/passkeys"]')]);
    await page.fill("#rename-0", "Work laptop");
    await Promise.all([page.waitForURL("**/account/passkeys?notice=renamed"), page.click("form.rename button")]);
    expect(await page.textContent('[data-testid="passkey-name"]')).toBe("Work laptop");

    await page.click('form[action="/account/passkeys/delete"] button');
    await expect.poll(() => page.textContent("h1")).toBe("Delete your last passkey?");
    expect(await page.textContent(".notice")).toContain("only way to log in");
    await Promise.all([page.waitForURL("**/account/passkeys"), page.click('a[href="/account/passkeys"]')]);
    expect(await page.locator('[data-testid="passkey-row"]').count()).toBe(1);

    await page.click('form[action="/account/passkeys/delete"] button');
    await Promise.all([page.waitForURL("**/account/passkeys?notice=deleted"), page.click('form[action="/account/passkeys/delete"] button')]);
    expect(await page.locator('[data-testid="no-passkeys"]').count()).toBe(1);
    // The authenticator still holds the key, but the site no longer knows it: no login with it.
    expect(await authenticator.credentials()).toHaveLength(1);
    await browser.context.clearCookies();
    await page.goto("/login");
    await page.click("#passkey-login");
    await expect.poll(() => page.textContent("#passkey-login-status")).toMatch(/could not be used/);
    expect(new URL(page.url()).pathname).toBe("/login");
  });
});

import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, logInWithForm, openBrowser } from "./support/browser";
import { baseUrl, SESSION_COOKIE } from "./support/http-client";
import { adminApi, createUser } from "./support/oidc-rp";
import { newEmail } from "./support/outbox";
import { startUpstreamOp, type UpstreamOp } from "./support/upstream-op";

/**
 * Federation end to end: the worker (wrangler dev, ENVIRONMENT=development) talks to panva's
 * oidc-provider on a loopback port as a real upstream (discovery, PKCE, ID-token signature), and
 * headless Chromium walks through both sites.
 */
describe("federation with a local OpenID Connect provider", () => {
  const providerId = `e2e-op-${crypto.randomUUID().slice(0, 8)}`;
  let op: UpstreamOp;
  const opened: BrowserSession[] = [];

  beforeAll(async () => {
    op = await startUpstreamOp([`${baseUrl()}/login/${providerId}/callback`]);
    const { status, body } = await adminApi("POST", "/identity-providers", {
      id: providerId,
      type: "oidc",
      display_name: "Local OP",
      client_id: op.clientId,
      client_secret: op.clientSecret,
      issuer: op.issuer,
      trust_email: true,
    });
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.redirect_uri).toBe(`${baseUrl()}/login/${providerId}/callback`);
  });
  afterAll(async () => {
    await adminApi("DELETE", `/identity-providers/${providerId}`);
    await op?.stop();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });
  const open = async () => {
    const browser = await openBrowser();
    opened.push(browser);
    return browser;
  };

  /** At the upstream: its development login form (any password), then its consent page. */
  async function signInUpstream(page: Page, sub: string): Promise<void> {
    await page.waitForURL(`${op.issuer}/**`);
    await page.fill('input[name="login"]', sub);
    await page.fill('input[name="password"]', "any password works here");
    await page.click('button[type="submit"]');
    await page.waitForSelector('input[name="prompt"][value="consent"]', { state: "attached" });
    await page.click('button[type="submit"]');
  }

  it("signs up through the upstream provider from the sign-up page", async () => {
    const { page, context } = await open();
    const sub = `new-${crypto.randomUUID().slice(0, 8)}`;
    const email = newEmail("fed-signup");
    op.addAccount(sub, { email, email_verified: true, name: "Fiona Federated" });

    await page.goto("/signup");
    await page.click(`button[data-provider="${providerId}"]`);
    await signInUpstream(page, sub);
    await page.waitForURL(`${baseUrl()}/account`);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(email);
    expect(await page.inputValue("#name")).toBe("Fiona Federated");
    expect((await context.cookies()).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(true);

    // The account was made from the upstream identity: verified address, no password.
    const { body } = await adminApi<{ users: { email: string; email_verified: boolean; has_password: boolean }[] }>(
      "GET",
      `/users?email=${encodeURIComponent(email)}`,
    );
    expect(body.users[0]).toMatchObject({ email, email_verified: true, has_password: false });

    // Logging out and back in with the provider finds the same account by (iss, sub).
    await Promise.all([page.waitForURL("**/login?notice=logged_out"), page.click('form[action="/logout"] button[type="submit"]')]);
    await page.click(`button[data-provider="${providerId}"]`);
    // The upstream remembers the customer: straight back (or through consent again).
    await page.waitForURL(`${baseUrl()}/account`);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(email);
  });

  it("links the upstream identity to an existing account from the account page, then logs in with it", async () => {
    const { page } = await open();
    const account = await createUser("fed-link");
    const sub = `link-${crypto.randomUUID().slice(0, 8)}`;
    // A different, unverified address upstream: only the logged-in owner's explicit link joins them.
    op.addAccount(sub, { email: newEmail("fed-other"), email_verified: false });

    await logInWithForm(page, account);
    await page.goto("/account/identities");
    await page.click(`button[data-provider="${providerId}"]`);
    await signInUpstream(page, sub);
    await page.waitForURL(`${baseUrl()}/account/identities?notice=linked`);
    expect(await page.textContent(".notice")).toContain("The login was linked.");
    expect(await page.textContent("table")).toContain("Local OP");

    await Promise.all([
      page.waitForURL("**/login?notice=logged_out"),
      page.goto("/account").then(() => page.click('form[action="/logout"] button[type="submit"]')),
    ]);
    await page.click(`button[data-provider="${providerId}"]`);
    await page.waitForURL(`${baseUrl()}/account`);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(account.email);
  });

  it("an upstream identity with an existing account's address but unverified upstream waits for the owner to log in and confirm", async () => {
    const { page } = await open();
    const account = await createUser("fed-prove");
    const sub = `prove-${crypto.randomUUID().slice(0, 8)}`;
    op.addAccount(sub, { email: account.email, email_verified: false });

    await page.goto("/login");
    await page.click(`button[data-provider="${providerId}"]`);
    await signInUpstream(page, sub);
    await expect.poll(() => page.textContent("h1")).toBe("You already have an account");
    // No session yet: the identity did not capture the account.
    expect(new URL(page.url()).pathname).toBe(`/login/${providerId}/callback`);

    await page.click('a.button[href^="/login"]');
    expect(await page.inputValue("#email")).toBe(account.email);
    await page.fill("#password", account.password);
    await Promise.all([page.waitForURL("**/federation/link"), page.click('form[action="/login"] button[type="submit"]')]);
    await Promise.all([page.waitForURL("**/account/identities?notice=linked"), page.click('form[action="/federation/link"] button[type="submit"]')]);
    expect(await page.textContent("table")).toContain(account.email);
  });
});

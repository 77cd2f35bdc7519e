import { randomInt } from "node:crypto";
import * as oidc from "openid-client";
import { afterEach, describe, expect, it } from "vitest";
import type { Account } from "./support/accounts";
import { type BrowserSession, logInWithForm, openBrowser } from "./support/browser";
import { HttpClient, SESSION_COOKIE } from "./support/http-client";
import { codeRequest, createUser, discover, pkceChecks, registerClient } from "./support/oidc-rp";
import { codeIn, messagesTo, type OutboxMessage, waitForMessage } from "./support/outbox";

/** A random German mobile number, so no two tests share per-number send limits. */
function newMobile(): string {
  return `+49151${String(randomInt(100_000_000)).padStart(8, "0")}`;
}

const isText = (message: OutboxMessage) => message.channel === "sms";

/** The newest text to `phone` not among `seen`, from the development outbox (`/dev/outbox.json?to=+49…`). */
async function nextText(phone: string, seen: string[] = []): Promise<OutboxMessage> {
  return waitForMessage(phone, isText, { seen });
}

/** Gives an account a verified phone through /account/phone over HTTP (log in, send code, confirm). */
async function withVerifiedPhone(account: Account, phone: string): Promise<void> {
  const client = new HttpClient();
  expect((await client.post("/login", { email: account.email, password: account.password })).headers.get("location")).toBe("/account");
  expect((await client.post("/account/phone", { phone })).headers.get("location")).toBe("/account/phone?notice=code_sent");
  const confirm = await client.post("/account/phone/verify", { code: codeIn(await nextText(phone)) });
  expect(confirm.headers.get("location")).toBe("/account/phone?notice=verified");
}

describe("phone numbers and SMS codes, end to end", () => {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });

  it("adds and verifies a phone in Chromium, then uses SMS as the second factor of a password login", async () => {
    const account = await createUser("sms-browser");
    const browser = await openBrowser();
    opened.push(browser);
    const { page } = browser;
    await logInWithForm(page, account);

    const phone = newMobile();
    await page.goto("/account/phone");
    expect(await page.getAttribute("#phone", "autocomplete")).toBe("tel");
    expect(await page.getAttribute("#phone", "inputmode")).toBe("tel");
    await page.fill("#phone", `${phone.slice(0, 3)} ${phone.slice(3, 6)} ${phone.slice(6)}`);
    await Promise.all([page.waitForURL("**/account/phone?notice=code_sent"), page.click('form[action="/account/phone"] button[type="submit"]')]);
    const confirmation = await nextText(phone);
    expect(confirmation.to).toBe(phone);
    expect(confirmation.text).toMatch(/code to confirm this phone number/);
    expect(await page.getAttribute("#code", "autocomplete")).toBe("one-time-code");
    await page.fill("#code", codeIn(confirmation));
    await Promise.all([page.waitForURL("**/account/phone?notice=verified"), page.click('form[action="/account/phone/verify"] button[type="submit"]')]);
    expect(await page.textContent(".notice")).toContain("Your phone number is verified");
    expect(await page.textContent('[data-testid="verified-phone"]')).toBe(`+49 ${phone.slice(3, 7)} ${phone.slice(7)}`);

    // A fresh login now needs a second factor (the phone is enrolled; the default policy is "optional").
    await browser.context.clearCookies();
    await page.goto("/login");
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await Promise.all([page.waitForURL("**/login/mfa"), page.click('form[action="/login"] button[type="submit"]')]);
    // The second step offers SMS first here (no passkey, push or authenticator app) and links to email.
    expect(await page.textContent("#mfa-method-heading")).toBe("Code by text message");
    expect(await page.getAttribute('a[href="/login/mfa?method=email"]', "href")).toBe("/login/mfa?method=email");
    const seen = (await messagesTo(phone)).map((message) => message.id);
    await page.click('form[action="/login/mfa/sms/send"] button[type="submit"]');
    await expect.poll(() => page.textContent(".notice")).toContain(`••• ${phone.slice(-3)}`);
    const text = await nextText(phone, seen);
    expect(text.text).toMatch(/verification code/);
    await page.fill("#code", codeIn(text));
    await Promise.all([page.waitForURL("**/account"), page.click('form[action="/login/mfa/sms"] button[type="submit"]')]);
    await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(account.email);
  });

  it("logs in with an SMS code through an app (openid-client): the ID token says amr sms", async () => {
    const account = await createUser("sms-login");
    const phone = newMobile();
    await withVerifiedPhone(account, phone);
    const redirectUri = "http://localhost:9/cb";
    const app = await registerClient({ redirect_uris: [redirectUri], scope: "openid email", first_party: true, mfa_policy: "off" });
    const config = await discover(app.client_id, undefined, oidc.ClientSecretBasic(app.client_secret ?? ""));
    const checks = await pkceChecks();
    const authorize = oidc.buildAuthorizationUrl(config, codeRequest(redirectUri, checks, "openid email"));

    const visitor = new HttpClient();
    const toLogin = await visitor.get(authorize.pathname + authorize.search);
    const returnTo = new URL(toLogin.headers.get("location") ?? "", "http://x").searchParams.get("return_to") ?? "";
    expect(returnTo).toMatch(/^\/authorize\?/);
    const loginPage = await visitor.page(`/login?${new URLSearchParams({ return_to: returnTo })}`);
    expect(loginPage.html).toContain(`/login/sms?${new URLSearchParams({ return_to: returnTo })}`.replace(/&/g, "&amp;"));
    const seen = (await messagesTo(phone)).map((message) => message.id);
    const codePage = await visitor.submit("/login/sms", { phone, return_to: returnTo });
    expect(codePage.status).toBe(200);
    const login = await visitor.post("/login/sms/verify", { phone, code: codeIn(await nextText(phone, seen)), return_to: returnTo });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe(returnTo);
    expect(visitor.cookies.has(SESSION_COOKIE)).toBe(true);
    const callback = (await visitor.get(returnTo)).headers.get("location") ?? "";
    expect(callback.startsWith(`${redirectUri}?`)).toBe(true);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
    });
    const claims = tokens.claims();
    expect(claims?.amr).toEqual(["sms"]);
    expect(claims?.acr).toBe("urn:gatehouse:loa:1");
    expect(claims?.email).toBe(account.email);
  });

  it("answers unknown numbers like known ones, and kills a code after 5 wrong tries", async () => {
    const account = await createUser("sms-brute");
    const phone = newMobile();
    await withVerifiedPhone(account, phone);
    const unknown = newMobile();
    const strip = (html: string, number: string) =>
      html
        .replace(/name="csrf_token" value="[^"]*"/g, "")
        .replace(/nonce="[^"]*"/g, "")
        .split(number)
        .join("N")
        .split(`+49 ${number.slice(3, 7)} ${number.slice(7)}`)
        .join("N");
    const known = await new HttpClient().submit("/login/sms", { phone });
    const nobody = await new HttpClient().submit("/login/sms", { phone: unknown });
    expect([known.status, nobody.status]).toEqual([200, 200]);
    expect(strip(nobody.html, unknown)).toBe(strip(known.html, phone));

    const code = codeIn(await nextText(phone));
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const attacker = new HttpClient();
    for (let i = 0; i < 5; i++) expect((await attacker.post("/login/sms/verify", { phone, code: wrong })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const late = await new HttpClient().post("/login/sms/verify", { phone, code });
    expect(late.status).toBe(401);
    expect((await messagesTo(unknown)).length).toBe(0);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { createTestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { pausedAuthorization } from "../helpers/oidc";
import { codeInText, pendingIdOf, randomMobile, setVerifiedPhone, textsTo, userByEmail, waitForText, wrongCode } from "./support";

/** A password login of an account with a verified phone: the default policy holds it at the second step. */
async function passwordStep(): Promise<{ browser: Browser; phone: string; userId: string; pendingId: string }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  const user = await userByEmail(email);
  const phone = randomMobile();
  await setVerifiedPhone(user.id, phone);
  const login = await browser.post("/login", { email, password: GOOD_PASSWORD });
  expect(login.headers.get("location")).toBe("/login/mfa");
  return { browser, phone, userId: user.id, pendingId: await pendingIdOf(browser) };
}

describe("SMS as a second factor", () => {
  it("texts a code to the verified number and completes the login with amr pwd+sms+mfa", async () => {
    const { browser, phone, userId, pendingId } = await passwordStep();
    const sent = await browser.post("/login/mfa/sms/send", { pending_id: pendingId });
    expect(sent.status).toBe(200);
    const page = await sent.text();
    expect(page).toContain(`+49 ••• ••• ${phone.slice(-3)}`);
    expect(page).not.toContain(phone);
    const text = await waitForText(phone);
    expect(text.text).toMatch(/^\d{6} is your .+ verification code/);
    const done = await browser.post("/login/mfa/sms", { pending_id: pendingId, code: codeInText(text) });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account");
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
    expect(browser.cookies.has("__Host-gh_mfa")).toBe(false);
    expect((await browser.get("/account")).status).toBe(200);
    const event = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login' AND outcome = 'success'")
      .bind(userId)
      .first<{ details: string }>();
    expect(JSON.parse(event?.details ?? "{}")).toMatchObject({ method: "password+sms", acr: "urn:gatehouse:loa:2" });
    expect(JSON.parse(event?.details ?? "{}").amr.sort()).toEqual(["mfa", "pwd", "sms"]);
  });

  it("sends a browser without a pending login back to /login, and a form of another login back to the chooser", async () => {
    const stranger = new Browser();
    expect((await stranger.post("/login/mfa/sms", { pending_id: "x", code: "123456" })).headers.get("location")).toBe("/login?notice=mfa_expired");
    expect((await stranger.post("/login/mfa/sms/send", { pending_id: "x" })).headers.get("location")).toBe("/login?notice=mfa_expired");
    const { browser, phone } = await passwordStep();
    expect((await browser.post("/login/mfa/sms/send", { pending_id: "another-login" })).headers.get("location")).toBe("/login/mfa");
    expect((await browser.post("/login/mfa/sms", { pending_id: "another-login", code: "123456" })).headers.get("location")).toBe("/login/mfa");
    expect(await textsTo(phone)).toEqual([]);
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("does not accept a first-factor login code as the second factor", async () => {
    const { browser, phone, pendingId } = await passwordStep();
    // A first-factor login code for the same number.
    await new Browser().post("/login/sms", { phone });
    const loginCode = codeInText(await waitForText(phone));
    const refused = await browser.post("/login/mfa/sms", { pending_id: pendingId, code: loginCode });
    expect(refused.status).toBe(401);
    // The second step shows the SMS panel again, with the error.
    const html = await refused.text();
    expect(html).toContain("This code is not valid");
    expect(html).toContain('action="/login/mfa/sms"');
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("stops brute force: the fifth wrong code kills the code and the account backs off, across resends", async () => {
    const { browser, phone, pendingId } = await passwordStep();
    await browser.post("/login/mfa/sms/send", { pending_id: pendingId });
    const code = codeInText(await waitForText(phone));
    for (let i = 0; i < 4; i++) expect((await browser.post("/login/mfa/sms", { pending_id: pendingId, code: wrongCode(code) })).status).toBe(401);
    // The fifth failure reaches the account's backoff in its UserGuard.
    const fifth = await browser.post("/login/mfa/sms", { pending_id: pendingId, code: wrongCode(code) });
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Even the right code is throttled now, and once the wait is over it is dead.
    expect((await browser.post("/login/mfa/sms", { pending_id: pendingId, code })).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await browser.post("/login/mfa/sms", { pending_id: pendingId, code })).status).toBe(429);
    // A new code does not reset the account's count: the wait doubles with every failure.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const resent = await browser.post("/login/mfa/sms/send", { pending_id: pendingId });
    expect(resent.status).toBe(200);
    const fresh = codeInText(await waitForText(phone, 2));
    const next = await browser.post("/login/mfa/sms", { pending_id: pendingId, code: wrongCode(fresh) });
    expect(next.status).toBe(429);
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThanOrEqual(4);
  });

  it("offers nothing by SMS when the number is no longer verified", async () => {
    const { browser, userId, pendingId, phone } = await passwordStep();
    await env.DB.prepare("UPDATE users SET phone_verified = 0 WHERE id = ?").bind(userId).run();
    const response = await browser.post("/login/mfa/sms/send", { pending_id: pendingId });
    expect(response.status).toBe(400);
    expect(await textsTo(phone)).toEqual([]);
  });

  it("refuses a code sent before the number changed", async () => {
    const { browser, userId, pendingId, phone } = await passwordStep();
    await browser.post("/login/mfa/sms/send", { pending_id: pendingId });
    const code = codeInText(await waitForText(phone));
    await setVerifiedPhone(userId, randomMobile());
    expect((await browser.post("/login/mfa/sms", { pending_id: pendingId, code })).status).toBe(401);
  });
});

describe("SMS and the level an app asks for", () => {
  it("is not offered when the app asks for a phishing-resistant login (acr loa:3)", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const user = await userByEmail(email);
    const phone = randomMobile();
    await setVerifiedPhone(user.id, phone);
    const client = await createTestClient({ mfa_policy: "off" });
    const { returnTo } = await pausedAuthorization(browser, client, { acr_values: "urn:gatehouse:loa:3" });
    expect((await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo })).headers.get("location")).toBe("/login/mfa");
    const pendingId = await pendingIdOf(browser);
    expect((await browser.get("/login/mfa/sms")).headers.get("location")).toBe("/login/mfa");
    expect((await browser.post("/login/mfa/sms/send", { pending_id: pendingId })).headers.get("location")).toBe("/login/mfa");
    expect(await textsTo(phone)).toEqual([]);
  });
});

describe("the SMS step's own page", () => {
  it("shows the panel for a pending login with a verified phone, and sends others back", async () => {
    const { browser, pendingId } = await passwordStep();
    const page = await browser.get("/login/mfa/sms");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`name="pending_id" value="${pendingId}"`);
    expect(html).toContain('href="/login/mfa"');
    expect((await new Browser().get("/login/mfa/sms")).headers.get("location")).toBe("/login?notice=mfa_expired");
    // The chooser shows the same panel.
    const chooser = await (await browser.get("/login/mfa?method=sms")).text();
    expect(chooser).toContain('action="/login/mfa/sms/send"');
    expect(chooser).toContain(`name="pending_id" value="${pendingId}"`);
  });
});

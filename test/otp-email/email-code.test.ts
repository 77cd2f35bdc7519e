import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { Browser, stripPerRequest } from "../helpers/http";
import { codeIn, mailTo, uniqueEmail, waitForMail } from "../helpers/outbox";
import { failureEvents, requiredMfaReturnTo, userIdOf } from "./helpers";

const isLoginCode = (mail: { subject: string | null }) => Boolean(mail.subject?.startsWith("Your login code"));

/** Asks for a login code and returns it from the outbox (the newest one). */
async function requestCode(browser: Browser, email: string, already = 0): Promise<string> {
  const asked = await browser.post("/login/code", { email });
  expect(asked.status).toBe(200);
  const mail = (await waitForMail(email, already + 1)).filter(isLoginCode)[0];
  if (!mail) throw new Error("no login code mail");
  return codeIn(mail);
}

describe("login with an emailed code (/login/code)", () => {
  it("logs in with the code; the login page offers it", async () => {
    const browser = new Browser();
    const login = await (await browser.get("/login?return_to=%2Faccount")).text();
    expect(login).toContain('href="/login/code?return_to=%2Faccount"');
    expect(login).toContain('href="/login/link?return_to=%2Faccount"');
    const email = await createVerifiedAccount(browser);
    const code = await requestCode(browser, email, 1);
    const done = await browser.post("/login/code/verify", { email, code });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account");
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
    const event = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login' ORDER BY occurred_at DESC")
      .bind(await userIdOf(email))
      .first<{ details: string }>();
    expect(JSON.parse(event?.details ?? "{}")).toMatchObject({ method: "email", amr: ["otp"] });
    // Used once: the same code does not log in again.
    expect((await new Browser().post("/login/code/verify", { email, code })).status).toBe(400);
  });

  it("answers the same for an unknown address, and mails nobody", async () => {
    const browser = new Browser();
    const known = await createVerifiedAccount(browser);
    const unknown = uniqueEmail("nobody");
    const a = await browser.post("/login/code", { email: known });
    const b = await browser.post("/login/code", { email: unknown });
    expect(a.status).toBe(b.status);
    const strip = (html: string) => stripPerRequest(html).replaceAll(known, "X").replaceAll(unknown, "X");
    expect(strip(await b.text())).toBe(strip(await a.text()));
    await waitForMail(known, 2);
    expect(await mailTo(unknown)).toHaveLength(0);
    // Wrong codes for both fail the same way.
    const wrongKnown = await browser.post("/login/code/verify", { email: known, code: "000000" });
    const wrongUnknown = await browser.post("/login/code/verify", { email: unknown, code: "000000" });
    expect(wrongKnown.status).toBe(400);
    expect(strip(await wrongUnknown.text())).toBe(strip(await wrongKnown.text()));
  });

  it("kills a code after five wrong tries: the right code then fails too", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const code = await requestCode(browser, email, 1);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect((await browser.post("/login/code/verify", { email, code: wrong })).status).toBe(400);
    const row = await env.DB.prepare("SELECT attempts, consumed_at FROM one_time_codes WHERE user_id = ? AND purpose = 'login'")
      .bind(await userIdOf(email))
      .first<{ attempts: number; consumed_at: number | null }>();
    expect(row).toMatchObject({ attempts: 5 });
    expect(row?.consumed_at).not.toBeNull();
    // Wait out the backoff the fifth failure started, so the answer is about the code, not the wait.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await browser.post("/login/code/verify", { email, code });
    expect(late.status).toBe(400);
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("keeps counting across resends: a new code does not reset the account's failures", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const userId = await userIdOf(email);
    const first = await requestCode(browser, email, 1);
    for (let i = 0; i < 5; i++) await browser.post("/login/code/verify", { email, code: first === "000000" ? "111111" : "000000" });
    const second = await requestCode(browser, email, 2);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await browser.post("/login/code/verify", { email, code: second === "000000" ? "111111" : "000000" })).status).toBe(400);
    expect((await failureEvents(userId))[0]).toMatchObject({ factor: "email", failures: 6 });
    // The sixth failure doubled the wait: even the right new code has to wait.
    const blocked = await browser.post("/login/code/verify", { email, code: second });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("caps the codes one account is sent per hour, silently", async () => {
    const email = await createVerifiedAccount(new Browser());
    // Each request from its own source, so only the per-account cap applies.
    for (let i = 0; i < 12; i++) expect((await new Browser().post("/login/code", { email })).status).toBe(200);
    await waitForMail(email, 11);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await mailTo(email)).filter(isLoginCode)).toHaveLength(10);
  });

  it("limits sending per source", async () => {
    const browser = new Browser();
    for (let i = 0; i < 20; i++) expect((await browser.post("/login/code", { email: uniqueEmail("spray") })).status).toBe(200);
    const limited = await browser.post("/login/code", { email: uniqueEmail("spray") });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
  });

  it("refuses a malformed address with a field error", async () => {
    const response = await new Browser().post("/login/code", { email: "not-an-address" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter a valid email address.");
  });
});

describe("email code as the second factor", () => {
  it("sends a code after the password and completes the login with it", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const returnTo = await requiredMfaReturnTo(browser);
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    expect(login.headers.get("location")).toBe("/login/mfa");
    expect(await (await browser.get("/login/mfa?method=email")).text()).toContain('action="/login/mfa/email/send"');
    expect((await browser.post("/login/mfa/email", { code: "000000" })).status).toBe(400);
    const sent = await browser.post("/login/mfa/email/send", {});
    expect(sent.status).toBe(200);
    const mail = (await waitForMail(email, 2)).find((message) => message.subject?.startsWith("Your verification code"));
    if (!mail) throw new Error("no second-factor mail");
    const done = await browser.post("/login/mfa/email", { code: codeIn(mail) });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(returnTo);
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
  });

  it("is not offered when the first factor already was an email code (one factor twice is not two)", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const returnTo = await requiredMfaReturnTo(browser);
    await browser.post("/login/code", { email });
    const code = codeIn((await waitForMail(email, 2)).filter(isLoginCode)[0] ?? { subject: null, text: "" });
    const first = await browser.post("/login/code/verify", { email, code, return_to: returnTo });
    expect(first.headers.get("location")).toBe("/login/mfa");
    expect((await browser.post("/login/mfa/email/send", {})).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await mailTo(email)).filter((mail) => mail.subject?.startsWith("Your verification code"))).toHaveLength(0);
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });
});

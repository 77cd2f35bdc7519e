import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { waitForMail } from "../helpers/outbox";
import { accountWithTotp, awayFromStepEdge, failureEvents, passwordStep, startTotp, totpCode, userIdOf } from "./helpers";

describe("authenticator app (TOTP, RFC 6238)", () => {
  it("is set up on /account/totp behind the account gate: QR code, typed key and otpauth link, stored encrypted", async () => {
    expect((await new Browser().get("/account/totp")).headers.get("location")).toBe("/login?return_to=%2Faccount%2Ftotp");
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    const { secret, html } = await startTotp(browser);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(html).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    const uri = /href="(otpauth:\/\/totp\/[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(uri).toContain(`otpauth://totp/Gatehouse:${encodeURIComponent(email)}?`);
    expect(new URL(uri).searchParams.get("secret")).toBe(secret);
    expect(new URL(uri).searchParams.get("period")).toBe("30");
    const row = await env.DB.prepare("SELECT encrypted_secret, confirmed_at FROM totp_factors WHERE user_id = ?")
      .bind(await userIdOf(email))
      .first<{ encrypted_secret: string; confirmed_at: number | null }>();
    expect(row?.confirmed_at).toBeNull();
    expect(row?.encrypted_secret).not.toContain(secret);
    // Reloading the page shows the same pending secret; it does not make a new one.
    expect(await (await browser.get("/account/totp")).text()).toContain(secret.slice(0, 4));
  });

  it("is confirmed only by a correct first code, then hands out ten recovery codes and tells the owner", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    const { secret } = await startTotp(browser);
    await awayFromStepEdge();
    const wrong = await browser.post("/account/totp/confirm", { code: totpCode(secret, 3) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("That code is not correct");
    const right = await browser.post("/account/totp/confirm", { code: totpCode(secret) });
    expect(right.status).toBe(200);
    const page = await right.text();
    expect(page).toContain("Your authenticator app is on");
    expect([...page.matchAll(/[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}/g)]).toHaveLength(10);
    const mails = await waitForMail(email, 2);
    expect(mails.map((mail) => mail.subject)).toContain("A new way to log in was added");
    expect(await (await browser.get("/account/totp")).text()).toContain('data-testid="totp-status"');
  });

  it("asks for a code at the next login and accepts a code from the app (step +1 too)", async () => {
    const { email, secret } = await accountWithTotp();
    const browser = await passwordStep(email);
    const step = await browser.get("/login/mfa");
    expect(await step.text()).toContain('action="/login/mfa/totp"');
    const done = await browser.post("/login/mfa/totp", { code: totpCode(secret, 1) });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account");
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
    expect(browser.cookies.has("__Host-gh_mfa")).toBe(false);
  });

  it("rejects a replayed code: the enrolment code, and a code that already logged in", async () => {
    const { email, secret } = await accountWithTotp();
    // The code that confirmed the set-up is spent.
    const first = await passwordStep(email);
    expect((await first.post("/login/mfa/totp", { code: totpCode(secret) })).status).toBe(400);
    const code = totpCode(secret, 1);
    expect((await first.post("/login/mfa/totp", { code })).status).toBe(303);
    const second = await passwordStep(email);
    const replay = await second.post("/login/mfa/totp", { code });
    expect(replay.status).toBe(400);
    expect(second.cookies.has("__Host-gh_session")).toBe(false);
    const events = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'mfa.totp_replayed'")
      .bind(await userIdOf(email))
      .first<{ n: number }>();
    expect(events?.n).toBe(2);
  });

  it("rejects codes two steps away (±60 s) and non-codes", async () => {
    const { email, secret } = await accountWithTotp();
    const browser = await passwordStep(email);
    await awayFromStepEdge();
    // Five tries: each counts, and a sixth would meet the backoff instead.
    for (const code of [totpCode(secret, -2), totpCode(secret, 2), "", "12345", "abcdef"]) {
      expect((await browser.post("/login/mfa/totp", { code })).status).toBe(400);
    }
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("lets only one of two parallel logins with the same code through", async () => {
    const { email, secret } = await accountWithTotp();
    const [a, b] = await Promise.all([passwordStep(email), passwordStep(email)]);
    const code = totpCode(secret, 1);
    const answers = await Promise.all([a.post("/login/mfa/totp", { code }), b.post("/login/mfa/totp", { code })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([303, 400]);
  });

  it("counts every wrong code in the user's guard and backs off", async () => {
    const { email, secret } = await accountWithTotp();
    const browser = await passwordStep(email);
    for (let i = 0; i < 5; i++) expect((await browser.post("/login/mfa/totp", { code: "000000" })).status).toBe(400);
    const blocked = await browser.post("/login/mfa/totp", { code: totpCode(secret, 1) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await failureEvents(await userIdOf(email)))[0]).toMatchObject({ factor: "totp", failures: 5 });
  });

  it("sends a browser without a pending login back to /login", async () => {
    const response = await new Browser().post("/login/mfa/totp", { code: "123456" });
    expect(response.headers.get("location")).toBe("/login?notice=mfa_expired");
  });

  it("is removed with a recent login, and the owner is told", async () => {
    const { browser, email } = await accountWithTotp();
    const removed = await browser.post("/account/totp/remove", {});
    expect(removed.headers.get("location")).toBe("/account/totp?notice=removed");
    expect(
      await env.DB.prepare("SELECT 1 FROM totp_factors WHERE user_id = ?")
        .bind(await userIdOf(email))
        .first(),
    ).toBeNull();
    expect((await waitForMail(email, 3)).map((mail) => mail.subject)).toContain("A way to log in was removed");
    // Without the app the default (optional) policy asks for no second step any more.
    const next = new Browser();
    expect((await next.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { mailTo, uniqueEmail } from "../helpers/outbox";
import { codeInText, insertUser, randomMobile, textsTo, waitForText } from "../sms/support";
import { expectLoggedIn, mailWithSubject, requestRows, samePage, signupLinkOf, usersWith } from "./support";

/** Step 1 and 2: the form, then the texted code; returns the "phone verified" page. */
async function verifyPhone(browser: Browser, email: string, phone: string): Promise<string> {
  const asked = await browser.post("/signup/sms", { email, phone, name: "Sam Text" });
  expect(asked.status).toBe(200);
  expect(await asked.text()).toContain('action="/signup/sms/verify"');
  const code = codeInText(await waitForText(phone));
  const verified = await browser.post("/signup/sms/verify", { code });
  expect(verified.status).toBe(200);
  return verified.text();
}

describe("sign-up by SMS (/signup/sms)", () => {
  it("texted code, then the emailed link: the account has the verified phone and address, no password, and SMS login works", async () => {
    const browser = new Browser();
    const email = uniqueEmail("sms-signup");
    const phone = randomMobile();
    const page = await verifyPhone(browser, email, phone);
    expect(page).toContain(`Phone verified — we sent a link to ${email} to finish.`);
    expect(page).toContain('action="/signup/link/code"');
    expect(await usersWith(email)).toEqual([]);
    const { token } = signupLinkOf(await mailWithSubject(email, "Finish creating your account"));
    await expectLoggedIn(browser, await browser.post("/signup/link/confirm", { token }));
    const [user] = await usersWith(email);
    expect(user).toMatchObject({ email_verified: 1, password_hash: null, phone, phone_verified: 1, name: "Sam Text" });
    // Both the phone and the mailbox were proven by this browser: two factors, no immediate second step.
    const login = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login'")
      .bind(user?.id)
      .first<{ details: string }>();
    expect(JSON.parse(login?.details ?? "{}").amr).toEqual(["sms", "otp", "mfa"]);

    const later = new Browser();
    expect((await later.post("/login/sms", { phone })).status).toBe(200);
    const code = codeInText(await waitForText(phone, 2));
    const loggedIn = await later.post("/login/sms/verify", { phone, code });
    expect(loggedIn.status).toBe(303);
  });

  it("a taken address: the same pages, nothing created, and the owner gets the 'someone tried to sign up' mail", async () => {
    const owner = await createVerifiedAccount(new Browser());
    const free = uniqueEmail("sms-free");
    const takenPage = await verifyPhone(new Browser(), owner, randomMobile());
    const freePage = await verifyPhone(new Browser(), free, randomMobile());
    expect(samePage(takenPage).replaceAll(owner, "X")).toBe(samePage(freePage).replaceAll(free, "X"));
    await mailWithSubject(owner, "Sign-up attempt with your email address", 2);
    expect((await mailTo(owner)).some((mail) => mail.subject === "Finish creating your account")).toBe(false);
    expect(await usersWith(owner)).toMatchObject([{ phone: null, phone_verified: 0 }]);
    expect((await requestRows(owner))[0]?.consumed_at).not.toBeNull();
  });

  it("a number verified on another account is not attached twice (same answers)", async () => {
    const phone = randomMobile();
    const holder = await insertUser({ phone, phoneVerified: true });
    const browser = new Browser();
    const email = uniqueEmail("sms-number-taken");
    await verifyPhone(browser, email, phone);
    const { token } = signupLinkOf(await mailWithSubject(email, "Finish creating your account"));
    await expectLoggedIn(browser, await browser.post("/signup/link/confirm", { token }));
    expect(await usersWith(email)).toMatchObject([{ phone: null, phone_verified: 0 }]);
    expect(await usersWith(holder.email)).toMatchObject([{ phone, phone_verified: 1 }]);
    const verified = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE phone = ? AND phone_verified = 1").bind(phone).first<{ n: number }>();
    expect(verified?.n).toBe(1);
  });

  it("wrong codes are refused, five use the request up, and an invalid number sends nothing and stores nothing", async () => {
    const browser = new Browser();
    const email = uniqueEmail("sms-wrong");
    const phone = randomMobile();
    expect((await browser.post("/signup/sms", { email, phone })).status).toBe(200);
    const code = codeInText(await waitForText(phone));
    const wrong = code === "000000" ? "111111" : "000000";
    const first = await browser.post("/signup/sms/verify", { code: wrong });
    expect(first.status).toBe(400);
    expect(await first.text()).toContain("That code is not valid or has expired.");
    // Audited as a sign-up's wrong code, never as a login of an unknown account.
    const audited = await env.DB.prepare("SELECT details FROM audit_events WHERE type = 'mfa.failed' AND ip = ? ORDER BY rowid DESC LIMIT 1")
      .bind(browser.ip)
      .first<{ details: string }>();
    expect(JSON.parse(audited?.details ?? "{}")).toMatchObject({ factor: "sms", reason: "wrong_signup_code" });
    for (let i = 0; i < 4; i++) await browser.post("/signup/sms/verify", { code: wrong });
    const late = await browser.post("/signup/sms/verify", { code });
    expect([400, 429]).toContain(late.status);
    expect((await requestRows(email))[0]).toMatchObject({ phone_verified_at: null });
    expect((await requestRows(email))[0]?.consumed_at).not.toBeNull();
    expect(await mailTo(email)).toEqual([]);

    const landline = "+493012345678";
    const refused = await new Browser().post("/signup/sms", { email: uniqueEmail("sms-landline"), phone: landline });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('aria-describedby="phone-hint phone-error"');
    expect(await textsTo(landline)).toEqual([]);
  });

  it("the phone step's code cannot be replayed, and a code from another browser's sign-up does not work here", async () => {
    const browser = new Browser();
    const email = uniqueEmail("sms-replay");
    const phone = randomMobile();
    expect((await browser.post("/signup/sms", { email, phone })).status).toBe(200);
    const code = codeInText(await waitForText(phone));
    expect((await new Browser().post("/signup/sms/verify", { code })).status).toBe(400);
    expect((await browser.post("/signup/sms/verify", { code })).status).toBe(200);
    expect((await browser.post("/signup/sms/verify", { code })).status).toBe(400);
  });
});

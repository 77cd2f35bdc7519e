import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/db";
import { removePhone } from "../../src/storage/phone-store";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { waitForMail } from "../helpers/outbox";
import { codeInText, insertUser, randomMobile, textsTo, userByEmail, waitForText, wrongCode } from "./support";

async function loggedIn(): Promise<{ browser: Browser; email: string }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  await logIn(browser, email);
  return { browser, email };
}

/** Adds and confirms a number through the page; returns the code that confirmed it. */
async function addPhone(browser: Browser, phone: string, textsBefore = 0): Promise<void> {
  const start = await browser.post("/account/phone", { phone });
  expect(start.status).toBe(303);
  const code = codeInText(await waitForText(phone, textsBefore + 1));
  const confirm = await browser.post("/account/phone/verify", { code });
  expect(confirm.status).toBe(303);
  expect(confirm.headers.get("location")).toBe("/account/phone?notice=verified");
}

describe("/account/phone", () => {
  it("needs a session", async () => {
    const response = await new Browser().get("/account/phone");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?return_to=%2Faccount%2Fphone");
    expect((await new Browser().post("/account/phone", { phone: randomMobile() })).headers.get("location")).toMatch(/^\/login\?/);
  });

  it("saves a number only once the texted code comes back, then tells the owner by email", async () => {
    const { browser, email } = await loggedIn();
    const phone = randomMobile();
    const start = await browser.post("/account/phone", { phone: ` ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)} ` });
    expect(start.headers.get("location")).toBe("/account/phone?notice=code_sent");
    // Nothing on the account changes before the code is back.
    expect((await userByEmail(email)).phone).toBeNull();
    const page = await (await browser.get("/account/phone?notice=code_sent")).text();
    expect(page).toContain("We texted a code to +49 1");
    expect(page).toContain('action="/account/phone/verify"');
    const text = await waitForText(phone);
    expect(text.text).toMatch(/code to confirm this phone number/);
    expect((await browser.post("/account/phone/verify", { code: codeInText(text) })).headers.get("location")).toBe("/account/phone?notice=verified");
    const user = await userByEmail(email);
    expect(user.phone).toBe(phone);
    expect(user.phoneVerified).toBe(true);
    const after = await (await browser.get("/account/phone")).text();
    expect(after).toContain('data-testid="verified-phone"');
    const mails = await waitForMail(email, 2);
    expect(mails.map((mail) => mail.subject)).toContain("A new way to log in was added");
  });

  it("refuses garbage, landlines and the number the account already has", async () => {
    const { browser } = await loggedIn();
    for (const phone of ["", "not a number", "030 1234567", "+49 30 1234567", "+49151234567890123"]) {
      const response = await browser.post("/account/phone", { phone });
      expect(response.status, phone).toBe(400);
      expect(await response.text()).toContain("Enter a valid mobile number");
    }
    const phone = randomMobile();
    await addPhone(browser, phone);
    const same = await browser.post("/account/phone", { phone });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain("already verified on your account");
  });

  it("kills the confirmation code after 5 wrong tries and leaves the number unsaved", async () => {
    const { browser, email } = await loggedIn();
    const phone = randomMobile();
    await browser.post("/account/phone", { phone });
    const code = codeInText(await waitForText(phone));
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await browser.post("/account/phone/verify", { code: wrongCode(code) })).status);
    // Four plain refusals, then the account's factor backoff starts.
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    // Once the wait is over, the right code fails too (and, as a failure, doubles the wait): it is dead.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await browser.post("/account/phone/verify", { code });
    expect(late.status).toBe(429);
    expect(Number(late.headers.get("retry-after"))).toBe(2);
    const user = await userByEmail(email);
    expect(user.phone).toBeNull();
    expect(user.phoneVerified).toBe(false);
  });

  it("changes the number: the old one stays until the new one is confirmed", async () => {
    const { browser, email } = await loggedIn();
    const first = randomMobile();
    await addPhone(browser, first);
    const second = randomMobile();
    expect((await browser.post("/account/phone", { phone: second })).status).toBe(303);
    expect((await userByEmail(email)).phone).toBe(first);
    const code = codeInText(await waitForText(second));
    await browser.post("/account/phone/verify", { code });
    expect((await userByEmail(email)).phone).toBe(second);
  });

  it("removes the number after a recent login and tells the owner", async () => {
    const { browser, email } = await loggedIn();
    const phone = randomMobile();
    await addPhone(browser, phone);
    const removed = await browser.post("/account/phone/remove", {});
    expect(removed.headers.get("location")).toBe("/account/phone?notice=removed");
    const user = await userByEmail(email);
    expect(user.phone).toBeNull();
    expect(user.phoneVerified).toBe(false);
    const mails = await waitForMail(email, 3);
    expect(mails.map((mail) => mail.subject)).toContain("A way to log in was removed");
    // Logging in by text no longer works for that number.
    await new Browser().post("/login/sms", { phone });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await textsTo(phone)).toHaveLength(1);
  });

  it("gives a recycled number to whoever proves it last: the older account loses it and is told", async () => {
    const phone = randomMobile();
    const previous = await insertUser({ phone, phoneVerified: true });
    const { browser, email } = await loggedIn();
    await addPhone(browser, phone);
    const before = await env.DB.prepare("SELECT phone_verified FROM users WHERE id = ?").bind(previous.id).first<{ phone_verified: number }>();
    expect(before?.phone_verified).toBe(0);
    expect((await userByEmail(email)).phoneVerified).toBe(true);
    const mails = await waitForMail(previous.email);
    expect(mails.map((mail) => mail.subject)).toContain("A way to log in was removed");
  });

  it("exposes removePhone for the admin API: true once, then false", async () => {
    const user = await insertUser({ phone: randomMobile(), phoneVerified: true });
    const db = openDatabase(env.DB);
    expect(await removePhone(db, user.id)).toBe(true);
    expect(await removePhone(db, user.id)).toBe(false);
    expect(await removePhone(db, "no-such-user")).toBe(false);
  });
});

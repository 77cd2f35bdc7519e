import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { requestSmsLogin } from "../../src/services/sms/sms-login";
import { createTestClient } from "../helpers/clients";
import { testDeps, testRequest } from "../helpers/deps";
import { Browser, stripPerRequest } from "../helpers/http";
import { idTokenClaims, pausedAuthorization } from "../helpers/oidc";
import { codeInText, insertUser, pendingIdOf, randomMobile, textsTo, waitForText, wrongCode } from "./support";

/** The page with what legitimately differs between two numbers taken out. */
function comparable(html: string, ...phones: string[]): string {
  let result = stripPerRequest(html);
  for (const phone of phones)
    result = result
      .split(phone)
      .join("PHONE")
      .split(phone.replace(/^\+49(\d{4})/, "+49 $1 "))
      .join("PHONE");
  return result;
}

describe("logging in with a texted code (first factor)", () => {
  it("texts a code to a verified number and logs in through an app: amr sms, single-factor acr", async () => {
    const phone = randomMobile();
    await insertUser({ phone, phoneVerified: true });
    const browser = new Browser();
    const client = await createTestClient({ mfa_policy: "off" });
    const { returnTo, verifier } = await pausedAuthorization(browser, client);
    const sent = await browser.post("/login/sms", { phone: phone.replace(/^\+49(\d{3})/, "+49 $1 "), return_to: returnTo });
    expect(sent.status).toBe(200);
    const page = await sent.text();
    expect(page).toContain('name="phone" value="');
    expect(page).toContain('autocomplete="one-time-code"');
    const text = await waitForText(phone);
    expect(text.channel).toBe("sms");
    expect(text.text).toMatch(/^\d{6} is your .+ login code/);
    // The origin-bound code line (WebOTP), so browsers fill the code in on our origin only.
    expect(text.text).toMatch(/\n@localhost:8787 #\d{6}$/);
    const login = await browser.post("/login/sms/verify", { phone, code: codeInText(text), return_to: returnTo });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe(returnTo);
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
    const toApp = new URL((await browser.get(returnTo)).headers.get("location") ?? "");
    expect(toApp.origin + toApp.pathname).toBe(client.redirectUri);
    const claims = await idTokenClaims(client, toApp.searchParams.get("code") ?? "", verifier);
    expect(claims).toMatchObject({ amr: ["sms"], acr: "urn:gatehouse:loa:1" });
    // The code was single use.
    const again = await new Browser().post("/login/sms/verify", { phone, code: codeInText(text) });
    expect(again.status).toBe(401);
  });

  it("answers a number without an account, an unverified number and a disabled account exactly like a verified one, and texts only the verified one", async () => {
    const verified = randomMobile();
    const unverified = randomMobile();
    const disabled = randomMobile();
    const unknown = randomMobile();
    await insertUser({ phone: verified, phoneVerified: true });
    await insertUser({ phone: unverified, phoneVerified: false });
    await insertUser({ phone: disabled, phoneVerified: true, status: "disabled" });
    const answers = [];
    for (const phone of [verified, unverified, disabled, unknown]) {
      const response = await new Browser().post("/login/sms", { phone });
      answers.push({ status: response.status, html: comparable(await response.text(), phone) });
    }
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    expect(new Set(answers.map((answer) => answer.html)).size).toBe(1);
    await waitForText(verified);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const phone of [unverified, disabled, unknown]) expect(await textsTo(phone)).toEqual([]);
  });

  it("texts nobody when two accounts claim one verified number (only a race could do that): the number is ambiguous", async () => {
    const phone = randomMobile();
    await insertUser({ phone, phoneVerified: true });
    await insertUser({ phone, phoneVerified: true });
    const control = randomMobile();
    await insertUser({ phone: control, phoneVerified: true });
    expect((await new Browser().post("/login/sms", { phone })).status).toBe(200);
    expect((await new Browser().post("/login/sms", { phone: control })).status).toBe(200);
    // The control number's text arrives (sent after the response, like the other would be); the ambiguous one gets none.
    await waitForText(control);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await textsTo(phone)).toEqual([]);
  });

  it("fails a wrong code for a known number and any code for an unknown number with the same page", async () => {
    const known = randomMobile();
    const unknown = randomMobile();
    await insertUser({ phone: known, phoneVerified: true });
    const browser = new Browser();
    await browser.post("/login/sms", { phone: known });
    const code = codeInText(await waitForText(known));
    const wrong = await browser.post("/login/sms/verify", { phone: known, code: wrongCode(code) });
    const none = await new Browser().post("/login/sms/verify", { phone: unknown, code });
    expect(wrong.status).toBe(401);
    expect(none.status).toBe(401);
    expect(comparable(await none.text(), unknown)).toBe(comparable(await wrong.text(), known));
  });

  it("refuses malformed and non-mobile numbers before anything is counted or sent", async () => {
    for (const phone of ["", "hello", "0151 23456789", "+49 30 1234567", "+4915123456789;ext=2", `+${"9".repeat(40)}`]) {
      const response = await new Browser().post("/login/sms", { phone });
      expect(response.status, phone).toBe(400);
      expect(await response.text()).toContain("Enter a valid mobile number");
    }
  });

  it("stops brute force: after 5 wrong codes the code is dead and the number backs off, for known and unknown numbers alike", async () => {
    const phone = randomMobile();
    await insertUser({ phone, phoneVerified: true });
    const browser = new Browser();
    await browser.post("/login/sms", { phone });
    const code = codeInText(await waitForText(phone));
    for (let i = 0; i < 5; i++) expect((await browser.post("/login/sms/verify", { phone, code: wrongCode(code) })).status).toBe(401);
    // The number's guard backs off now, from any source …
    const blocked = await new Browser().post("/login/sms/verify", { phone, code });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // … and once the wait is over, the right code is still refused: it died with the fifth wrong one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await new Browser().post("/login/sms/verify", { phone, code })).status).toBe(401);

    const unknown = randomMobile();
    for (let i = 0; i < 5; i++) expect((await browser.post("/login/sms/verify", { phone: unknown, code })).status).toBe(401);
    expect((await new Browser().post("/login/sms/verify", { phone: unknown, code })).status).toBe(429);

    const rows = await env.DB.prepare("SELECT type FROM audit_events WHERE type = 'mfa.failed' AND details LIKE '%sms%'").all();
    expect(rows.results.length).toBeGreaterThanOrEqual(5);
  });

  it("limits texts per number: the fourth request within 10 minutes is refused, whoever asks and whether or not the number has an account", async () => {
    const known = randomMobile();
    const unknown = randomMobile();
    await insertUser({ phone: known, phoneVerified: true });
    for (const phone of [known, unknown]) {
      for (let i = 0; i < 3; i++) expect((await new Browser().post("/login/sms", { phone })).status).toBe(200);
      const refused = await new Browser().post("/login/sms", { phone, resend: "1" });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    await waitForText(known, 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await textsTo(known)).toHaveLength(3);
  });

  it("keeps a resent code's count: a resend does not buy new tries", async () => {
    const phone = randomMobile();
    await insertUser({ phone, phoneVerified: true });
    const browser = new Browser();
    await browser.post("/login/sms", { phone });
    const first = codeInText(await waitForText(phone));
    for (let i = 0; i < 3; i++) await browser.post("/login/sms/verify", { phone, code: wrongCode(first) });
    const resent = await browser.post("/login/sms", { phone, resend: "1" });
    expect(await resent.text()).toContain("a new code is on its way");
    const second = codeInText(await waitForText(phone, 2));
    // Try 4 and 5 (wrong) kill the new code.
    for (let i = 0; i < 2; i++) await browser.post("/login/sms/verify", { phone, code: wrongCode(second) });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await browser.post("/login/sms/verify", { phone, code: second })).status).toBe(401);
  });

  it("sends an SMS login of an account with a second factor on to the second step, where SMS is not offered again", async () => {
    const phone = randomMobile();
    await insertUser({ phone, phoneVerified: true });
    const browser = new Browser();
    await browser.post("/login/sms", { phone });
    const login = await browser.post("/login/sms/verify", { phone, code: codeInText(await waitForText(phone)) });
    // The default policy (optional) asks accounts that enrolled a second factor; the phone is one.
    expect(login.headers.get("location")).toBe("/login/mfa");
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
    const again = await browser.post("/login/mfa/sms/send", { pending_id: await pendingIdOf(browser) });
    expect(again.headers.get("location")).toBe("/login/mfa");
    expect(await textsTo(phone)).toHaveLength(1);
    // Going back to the SMS login page does not skip the pending step either.
    expect((await browser.get("/login/sms")).headers.get("location")).toBe("/login/mfa");
  });

  it("refuses numbers outside the operator's country allowlist", async () => {
    const base = testDeps();
    const deps = testDeps({ config: { ...base.config, sms: { ...base.config.sms, allowedCallingCodes: ["43", "41"] } } });
    expect(await requestSmsLogin(deps, { phone: randomMobile() }, testRequest())).toEqual({ outcome: "rejected", problem: "country_not_allowed" });
    const off = testDeps({ config: { ...base.config, sms: { ...base.config.sms, enabled: false } } });
    expect(await requestSmsLogin(off, { phone: randomMobile() }, testRequest())).toEqual({ outcome: "rejected", problem: "disabled" });
  });

  it("links the SMS login from the login page, keeping the paused request", async () => {
    const page = await (await new Browser().get("/login?return_to=%2Fauthorize%3Finteraction%3Dx")).text();
    expect(page).toContain('href="/login/sms?return_to=%2Fauthorize%3Finteraction%3Dx"');
    expect((await new Browser().get("/login/sms")).status).toBe(200);
  });
});

import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearBrandingCache } from "../../src/services/branding/branding";
import { admin } from "../admin/helpers";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "../helpers/accounts";
import { createTestClient, type TestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { authorizeUrl, pausedAuthorization } from "../helpers/oidc";
import { codeIn, uniqueEmail, waitForMail } from "../helpers/outbox";
import { codeInText, randomMobile, textsTo, waitForText } from "../sms/support";

// Phone by SMS code as a verification choice of the sign-up journey, and the phone step of apps that
// require a verified phone (`require_verified: ["phone"]`) before they receive tokens.

const BRAND = "Phone Step Shop";
let app: TestClient;

beforeAll(async () => {
  app = await createTestClient({ mfa_policy: "off" });
  expect((await admin(`/admin/v1/branding/clients/${app.clientId}`, { method: "PUT", json: { name: BRAND } })).status).toBe(200);
  clearBrandingCache();
});

afterAll(async () => {
  await admin(`/admin/v1/branding/clients/${app.clientId}`, { method: "DELETE" });
});

async function phoneOf(email: string): Promise<{ phone: string | null; phone_verified: number }> {
  return (await env.DB.prepare("SELECT phone, phone_verified FROM users WHERE email = ?").bind(email).first()) as {
    phone: string | null;
    phone_verified: number;
  };
}

function wrongCode(right: string): string {
  return right === "000000" ? "111111" : "000000";
}

describe("sign-up offers verifying a mobile number by SMS code", () => {
  it("sign-up → email code → 'verify a mobile number too' → log in → number → SMS code → back to the app", async () => {
    const browser = new Browser();
    const { returnTo } = await pausedAuthorization(browser, app);
    const email = uniqueEmail("phone-signup");
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD, return_to: returnTo })).status).toBe(200);
    const [mail] = await waitForMail(email);
    const verified = await browser.post("/verify/code", { email, code: codeIn(mail as NonNullable<typeof mail>), return_to: returnTo });
    expect(verified.status).toBe(200);
    const html = await verified.text();
    const offer = `/login?${new URLSearchParams({ return_to: `/verify/phone?${new URLSearchParams({ return_to: returnTo })}` })}`;
    expect(html).toContain(`href="${offer.replace(/&/g, "&amp;")}"`);
    expect(html).toContain("Verify a mobile number by text message too");

    // The login page of the phone step still wears the app's brand (the journey continues at its authorization).
    const loginPage = await (await browser.get(offer)).text();
    expect(loginPage).toContain(BRAND);
    const loggedIn = await browser.post("/login", {
      email,
      password: GOOD_PASSWORD,
      return_to: `/verify/phone?${new URLSearchParams({ return_to: returnTo })}`,
    });
    expect(loggedIn.status).toBe(303);
    const stepPath = loggedIn.headers.get("location") ?? "";
    expect(stepPath).toMatch(/^\/verify\/phone\?return_to=/);
    const step = await (await browser.get(stepPath)).text();
    expect(step).toContain(BRAND);
    expect(step).toContain("Not now");

    const phone = randomMobile();
    const sent = await browser.post("/verify/phone", { phone, return_to: returnTo });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain("We texted a code to");
    const text = await waitForText(phone);
    expect(text.channel).toBe("sms");
    const wrong = await browser.post("/verify/phone/confirm", { code: wrongCode(codeInText(text)), return_to: returnTo });
    expect(wrong.status).toBe(400);
    expect((await phoneOf(email)).phone_verified).toBe(0);
    const right = await browser.post("/verify/phone/confirm", { code: codeInText(text), return_to: returnTo });
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe(returnTo);
    expect(await phoneOf(email)).toEqual({ phone, phone_verified: 1 });
    // The authorization continues to the app.
    const resumed = await browser.get(returnTo);
    expect(resumed.headers.get("location")).toMatch(new RegExp(`^${app.redirectUri}\\?code=`));
  });

  it("refuses invalid numbers and sends nothing", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    for (const phone of ["", "12345", "+4915", "+49 151 abc", "+1 000 000 0000", "<script>", "+".padEnd(40, "9")]) {
      const refused = await browser.post("/verify/phone", { phone });
      expect(refused.status, phone).toBe(400);
      expect(await refused.text(), phone).toContain("valid mobile number");
    }
    expect((await phoneOf(email)).phone).toBeNull();
  });

  it("stops guessing: wrong codes count in the account's backoff and use the code up", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const phone = randomMobile();
    expect((await browser.post("/verify/phone", { phone })).status).toBe(200);
    const right = codeInText(await waitForText(phone));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await browser.post("/verify/phone/confirm", { code: wrongCode(right) })).status);
    expect(statuses).toContain(429);
    expect(statuses.every((status) => status === 400 || status === 429)).toBe(true);
    // The right code no longer works: the code is used up, or the account is backing off.
    const late = await browser.post("/verify/phone/confirm", { code: right });
    expect([400, 429]).toContain(late.status);
    expect((await phoneOf(email)).phone_verified).toBe(0);
  });

  it("keeps the per-number send limit", async () => {
    const phone = randomMobile();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const browser = new Browser();
      await logIn(browser, await createVerifiedAccount(browser));
      statuses.push((await browser.post("/verify/phone", { phone })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await textsTo(phone)).toHaveLength(3);
  });

  it("needs a session, follows only same-site return paths, and never replaces a verified number", async () => {
    const anonymous = await new Browser().get("/verify/phone?return_to=/account");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe(`/login?${new URLSearchParams({ return_to: "/verify/phone?return_to=%2Faccount" })}`);

    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const phone = randomMobile();
    await env.DB.prepare("UPDATE users SET phone = ?, phone_verified = 1 WHERE email = ?").bind(phone, email).run();
    const done = await browser.get(`/verify/phone?return_to=${encodeURIComponent("https://evil.example/")}`);
    expect(done.headers.get("location")).toBe("/account");
    const change = await browser.post("/verify/phone", { phone: randomMobile(), return_to: "//evil.example" });
    expect(change.headers.get("location")).toBe("/account");
    expect((await phoneOf(email)).phone).toBe(phone);
  });
});

describe("apps that require a verified phone", () => {
  it("send a customer without one through the phone step before any code is issued", async () => {
    const phoneApp = await createTestClient({ require_verified: ["phone"], mfa_policy: "off" });
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const { url } = await authorizeUrl(phoneApp);
    const toVerify = await browser.get(url);
    const required = toVerify.headers.get("location") ?? "";
    expect(required).toMatch(/^\/verify\/required\?interaction=/);
    const interaction = new URL(required, "http://x").searchParams.get("interaction") ?? "";
    const resumeAt = `/authorize?interaction=${interaction}`;
    const page = await (await browser.get(required)).text();
    const stepPath = `/verify/phone?${new URLSearchParams({ return_to: resumeAt })}`;
    expect(page).toContain(`href="${stepPath.replace(/&/g, "&amp;")}"`);

    const step = await (await browser.get(stepPath)).text();
    expect(step).toContain("needs a verified mobile number");
    expect(step).not.toContain("Not now");
    // Skipping the step gains nothing: the authorization sends the browser back.
    expect((await browser.get(resumeAt)).headers.get("location")).toMatch(/^\/verify\/required\?/);

    const phone = randomMobile();
    expect((await browser.post("/verify/phone", { phone, return_to: resumeAt })).status).toBe(200);
    const code = codeInText(await waitForText(phone));
    const confirmed = await browser.post("/verify/phone/confirm", { code, return_to: resumeAt });
    expect(confirmed.headers.get("location")).toBe(resumeAt);
    const issued = await browser.get(resumeAt);
    expect(issued.headers.get("location")).toMatch(new RegExp(`^${phoneApp.redirectUri}\\?code=`));
  });

  it("with prompt=none, answer interaction_required instead of the step", async () => {
    const phoneApp = await createTestClient({ require_verified: ["phone"], mfa_policy: "off" });
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    const { url } = await authorizeUrl(phoneApp, { prompt: "none" });
    const answer = new URL((await browser.get(url)).headers.get("location") ?? "");
    expect(answer.searchParams.get("error")).toBe("interaction_required");
    expect(answer.searchParams.get("code")).toBeNull();
  });
});

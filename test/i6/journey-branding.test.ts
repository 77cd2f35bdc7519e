import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/hashing";
import { clearBrandingCache } from "../../src/services/branding/branding";
import { defaultTheme } from "../../src/ui/theme";
import { admin } from "../admin/helpers";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { createTestClient, type TestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { pausedAuthorization } from "../helpers/oidc";
import { codeIn, type Mail, uniqueEmail, waitForMail } from "../helpers/outbox";
import { accountWithTotp, totpCode } from "../otp-email/helpers";
import { insertUser, randomMobile, waitForText } from "../sms/support";

// Every page and email of a login or sign-up that started at an app carries that app's branding, also
// where the URL has no `return_to` (the second step, the magic-link pages, the passkey sign-up link).

const BRAND = "Journey Shop";
const PRIMARY = "#aa3300";
let app: TestClient;

type RichMail = Mail & { html: string | null };

beforeAll(async () => {
  app = await createTestClient({ mfa_policy: "required" });
  const saved = await admin(`/admin/v1/branding/clients/${app.clientId}`, { method: "PUT", json: { name: BRAND, colors: { primary: PRIMARY } } });
  expect(saved.status).toBe(200);
  clearBrandingCache();
});

afterAll(async () => {
  await admin(`/admin/v1/branding/clients/${app.clientId}`, { method: "DELETE" });
});

function expectBranded(html: string): void {
  expect(html).toContain(BRAND);
  expect(html).toContain(`--gh-primary:${PRIMARY}`);
}

function expectDefault(html: string): void {
  expect(html).not.toContain(BRAND);
  expect(html).toContain(`--gh-primary:${defaultTheme.primary}`);
}

async function expectBrandedMail(to: string, count = 1): Promise<RichMail> {
  const [mail] = (await waitForMail(to, count)) as RichMail[];
  if (!mail) throw new Error("no mail");
  expect(mail.html).toContain(BRAND);
  expect(mail.html).toContain(`solid ${PRIMARY}`);
  return mail;
}

async function expectDefaultMail(to: string, count = 1): Promise<RichMail> {
  const [mail] = (await waitForMail(to, count)) as RichMail[];
  if (!mail) throw new Error("no mail");
  expect(mail.html).not.toContain(BRAND);
  expect(mail.html).toContain(defaultTheme.brandName);
  return mail;
}

describe("the second step of a login (/login/mfa…) follows the app's branding", () => {
  it("the chooser, the emailed code (page and email) and a wrong code carry the app's brand", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { returnTo } = await pausedAuthorization(browser, app);
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    expect(login.headers.get("location")).toBe("/login/mfa");

    expectBranded(await (await browser.get("/login/mfa")).text());
    expectBranded(await (await browser.get("/login/mfa?method=email")).text());
    const sent = await browser.post("/login/mfa/email/send", {});
    expect(sent.status).toBe(200);
    expectBranded(await sent.text());
    const mail = await expectBrandedMail(email, 2);
    expect(mail.subject).toMatch(/verification code/);
    const wrong = await browser.post("/login/mfa/email", { code: codeIn(mail) === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expectBranded(await wrong.text());
    const right = await browser.post("/login/mfa/email", { code: codeIn(mail) });
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toMatch(/^\/authorize\?interaction=/);
  });

  it("the authenticator-app, recovery-code and SMS panels carry it too; the text stays plain", async () => {
    const { email, secret } = await accountWithTotp();
    const phone = randomMobile();
    await env.DB.prepare("UPDATE users SET phone = ?, phone_verified = 1 WHERE email = ?").bind(phone, email).run();
    const browser = new Browser();
    const { returnTo } = await pausedAuthorization(browser, app);
    await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    const wrongTotp = await browser.post("/login/mfa/totp", { code: totpCode(secret, 5) });
    expect(wrongTotp.status).toBe(400);
    expectBranded(await wrongTotp.text());
    const wrongRecovery = await browser.post("/login/mfa/recovery", { code: "AAAA-BBBB-CCCC-DDDD" });
    expectBranded(await wrongRecovery.text());
    const smsStep = await browser.get("/login/mfa/sms");
    expect(smsStep.headers.get("location")).toBeNull();
    const smsHtml = await smsStep.text();
    expectBranded(smsHtml);
    const pendingId = /name="pending_id" value="([^"]+)"/.exec(smsHtml)?.[1] ?? "";
    const sms = await browser.post("/login/mfa/sms/send", { pending_id: pendingId });
    expect(sms.status).toBe(200);
    expectBranded(await sms.text());
    const text = await waitForText(phone);
    expect(text.text).not.toContain("<");
  });

  it("without an app, the second step shows the global default, and so does its email", async () => {
    const { email } = await accountWithTotp();
    const browser = new Browser();
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect(login.headers.get("location")).toBe("/login/mfa");
    expectDefault(await (await browser.get("/login/mfa")).text());
    const sent = await browser.post("/login/mfa/email/send", {});
    expectDefault(await sent.text());
    await expectDefaultMail(email, 2);
  });

  it("a forged pending cookie brands nothing (and is refused)", async () => {
    const browser = new Browser();
    browser.cookies.set("__Host-gh_mfa", "forged");
    expect((await browser.get("/login/mfa")).headers.get("location")).toBe("/login?notice=mfa_expired");
  });
});

describe("login by emailed code follows the app's branding", () => {
  it("the request page, the code page, the email and a wrong code", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { returnTo } = await pausedAuthorization(browser, app);
    expectBranded(await (await browser.get(`/login/code?${new URLSearchParams({ return_to: returnTo })}`)).text());
    const asked = await browser.post("/login/code", { email, return_to: returnTo });
    expect(asked.status).toBe(200);
    expectBranded(await asked.text());
    const mail = await expectBrandedMail(email, 2);
    expect(mail.subject).toMatch(/login code/);
    const wrong = await browser.post("/login/code/verify", { email, code: codeIn(mail) === "000000" ? "111111" : "000000", return_to: returnTo });
    expectBranded(await wrong.text());
  });

  it("without an app: default page and email", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const asked = await browser.post("/login/code", { email });
    expectDefault(await asked.text());
    await expectDefaultMail(email, 2);
  });
});

describe("login by magic link follows the app's branding", () => {
  it("the waiting page, the email, and the link's pages in the asking browser", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { returnTo } = await pausedAuthorization(browser, app);
    expectBranded(await (await browser.get(`/login/link?${new URLSearchParams({ return_to: returnTo })}`)).text());
    const asked = await browser.post("/login/link", { email, return_to: returnTo });
    expectBranded(await asked.text());
    const mail = await expectBrandedMail(email, 2);
    const path = /http:\/\/localhost:8787(\/login\/link\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] ?? "";
    expect(path).not.toBe("");
    // The link opened in the browser that asked: its binding cookie names the journey.
    expectBranded(await (await browser.get(path)).text());
    const wrong = await browser.post("/login/link/code", { email, code: codeIn(mail) === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expectBranded(await wrong.text());
    // Opened elsewhere (another device): the link's row remembers the app (services/link-journey.ts).
    expectBranded(await (await new Browser().get(path)).text());
  });

  it("without an app: default waiting page, email and link page", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    expectDefault(await (await browser.post("/login/link", { email })).text());
    const mail = await expectDefaultMail(email, 2);
    const path = /http:\/\/localhost:8787(\/login\/link\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] ?? "";
    expectDefault(await (await browser.get(path)).text());
  });
});

describe("login by SMS code follows the app's branding", () => {
  it("the number page, the code page and a wrong code; the text itself stays plain", async () => {
    const phone = randomMobile();
    await insertUser({ phone, phoneVerified: true });
    const browser = new Browser();
    const { returnTo } = await pausedAuthorization(browser, app);
    expectBranded(await (await browser.get(`/login/sms?${new URLSearchParams({ return_to: returnTo })}`)).text());
    const asked = await browser.post("/login/sms", { phone, return_to: returnTo });
    expect(asked.status).toBe(200);
    expectBranded(await asked.text());
    const text = await waitForText(phone);
    expect(text.channel).toBe("sms");
    expect(text.text).not.toContain("<");
    const wrong = await browser.post("/login/sms/verify", { phone, code: text.text.includes("000000") ? "111111" : "000000", return_to: returnTo });
    expectBranded(await wrong.text());
    expectDefault(await (await new Browser().get("/login/sms")).text());
  });
});

describe("passkey sign-up follows the app's branding", () => {
  it("the address page, the sent page, the email and the emailed link's page", async () => {
    const browser = new Browser();
    const { returnTo } = await pausedAuthorization(browser, app);
    expectBranded(await (await browser.get(`/signup/passkey?${new URLSearchParams({ return_to: returnTo })}`)).text());
    const email = uniqueEmail("passkey-brand");
    const sent = await browser.post("/signup/passkey", { email, return_to: returnTo });
    expect(sent.status).toBe(200);
    expectBranded(await sent.text());
    const mail = await expectBrandedMail(email);
    const token = /\/signup\/passkey\/continue\?token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] ?? "";
    expect(token).not.toBe("");
    // The link is opened from the mailbox, often in another browser: the journey is stored with the link.
    expectBranded(await (await new Browser().get(`/signup/passkey/continue?token=${token}`)).text());
  });

  it("keeps the brand on the link after the paused login expired: the link remembers the app, not only the path", async () => {
    const browser = new Browser();
    const { returnTo } = await pausedAuthorization(browser, app);
    const email = uniqueEmail("passkey-late");
    await browser.post("/signup/passkey", { email, return_to: returnTo });
    const token = /\/signup\/passkey\/continue\?token=([A-Za-z0-9_-]{43})/.exec((await expectBrandedMail(email)).text)?.[1] ?? "";
    const challenge = await sha256Hex(token);
    const stored = await env.DB.prepare("SELECT json_extract(context, '$.clientId') AS client_id FROM webauthn_challenges WHERE challenge = ?")
      .bind(challenge)
      .first<{ client_id: string | null }>();
    expect(stored?.client_id).toBe(app.clientId);
    // The stored path no longer names an app (its interaction expired); the page still wears the app's brand.
    await env.DB.prepare("UPDATE webauthn_challenges SET context = json_set(context, '$.returnTo', '/authorize?interaction=expired') WHERE challenge = ?")
      .bind(challenge)
      .run();
    expectBranded(await (await new Browser().get(`/signup/passkey/continue?token=${token}`)).text());
  });

  it("an address that has an account gets the 'already registered' mail in the app's brand", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { returnTo } = await pausedAuthorization(browser, app);
    await browser.post("/signup/passkey", { email, return_to: returnTo });
    await expectBrandedMail(email, 2);
  });

  it("without an app: default pages and email", async () => {
    const browser = new Browser();
    const email = uniqueEmail("passkey-plain");
    expectDefault(await (await browser.post("/signup/passkey", { email })).text());
    const mail = await expectDefaultMail(email);
    const token = /\/signup\/passkey\/continue\?token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] ?? "";
    expectDefault(await (await new Browser().get(`/signup/passkey/continue?token=${token}`)).text());
  });
});

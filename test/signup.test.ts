import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { normalizeEmail } from "../src/lib/email";
import { openDatabase } from "../src/storage/db";
import { usersStore } from "../src/storage/users-store";
import { GOOD_PASSWORD } from "./helpers/accounts";
import { Browser, stripPerRequest } from "./helpers/http";
import { codeIn, linkIn, mailTo, uniqueEmail, waitForMail } from "./helpers/outbox";

const users = () => usersStore(openDatabase(env.DB));

describe("sign-up", () => {
  it("creates an unverified account, emails a link and a code, and shows the check-email page", async () => {
    const email = uniqueEmail("new");
    const response = await new Browser().post("/signup", { email: `  ${email.toUpperCase()} `, password: GOOD_PASSWORD, name: "Ann" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('autocomplete="one-time-code"');
    const user = await users().findByEmail(email);
    expect(user).toMatchObject({ email, emailVerified: false, name: "Ann", status: "active" });
    expect(user?.passwordHash).toMatch(/^\$pbkdf2-sha256\$v=1\$i=100000\$/);
    const [mail] = await waitForMail(email);
    expect(mail?.text).toMatch(/http:\/\/localhost:8787\/verify\?token=[A-Za-z0-9_-]{43}/);
    expect(mail?.text).toMatch(/\b\d{6}\b/);
  });

  it("answers an existing address exactly like a new one and emails the owner instead", async () => {
    const browser = new Browser();
    const email = uniqueEmail("taken");
    const first = await browser.post("/signup", { email, password: GOOD_PASSWORD });
    await waitForMail(email);
    const second = await browser.post("/signup", { email, password: "another fine passphrase" });
    expect(second.status).toBe(first.status);
    expect(stripPerRequest(await second.text())).toBe(stripPerRequest(await first.text()));
    const mails = await waitForMail(email, 2);
    expect(mails[0]?.subject).toBe("Sign-up attempt with your email address");
  });

  it("creates exactly one account for 20 parallel sign-ups of one address", async () => {
    const email = uniqueEmail("race");
    const responses = await Promise.all(Array.from({ length: 20 }, () => new Browser().post("/signup", { email, password: GOOD_PASSWORD })));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const rows = await users().list({ email, limit: 10 });
    expect(rows).toHaveLength(1);
  });

  it.each([
    ["too short", "short1", "Use at least 8 characters."],
    ["common", "password123", "This password is too common."],
    ["containing the email", "PREFIX-owner-xyz@example.com", "Don&#39;t use your email address in your password."],
  ])("refuses a %s password with a message and writes nothing", async (_label, password, message) => {
    const email = "owner-xyz@example.com";
    const response = await new Browser().post("/signup", { email, password: password.replace("PREFIX-", "") });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(await users().findByEmail(email)).toBeUndefined();
  });

  it("accepts a 64-character Unicode passphrase", async () => {
    const email = uniqueEmail("unicode");
    const password = "Straße-😀-".repeat(7).slice(0, 64);
    const response = await new Browser().post("/signup", { email, password });
    expect(response.status).toBe(200);
  });

  it("refuses invalid addresses, CRLF in names and files instead of fields", async () => {
    const browser = new Browser();
    expect((await browser.post("/signup", { email: "not-an-email", password: GOOD_PASSWORD })).status).toBe(400);
    expect((await browser.post("/signup", { email: "a@b.example\r\nBcc: x@y.example", password: GOOD_PASSWORD })).status).toBe(400);
    const crlfName = await browser.post("/signup", { email: uniqueEmail(), password: GOOD_PASSWORD, name: "Evil\r\nX-Header: 1" });
    expect(crlfName.status).toBe(400);
  });

  it("escapes HTML in echoed values", async () => {
    const response = await new Browser().post("/signup", { email: '"><script>alert(1)</script>', password: "x" });
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
  });
});

describe("email verification", () => {
  it("verifies by link only on POST: opening the link shows a confirmation page", async () => {
    const browser = new Browser();
    const email = uniqueEmail("link");
    await browser.post("/signup", { email, password: GOOD_PASSWORD });
    const [mail] = await waitForMail(email);
    const link = linkIn(mail as NonNullable<typeof mail>, "/verify");
    const page = await browser.get(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);
    expect((await users().findByEmail(email))?.emailVerified).toBe(false);
    const token = new URL(link, "http://x").searchParams.get("token") ?? "";
    expect((await browser.post("/verify", { token })).status).toBe(200);
    expect((await users().findByEmail(email))?.emailVerified).toBe(true);
    // Single use.
    expect((await browser.post("/verify", { token })).status).toBe(400);
  });

  it("verifies by the 6-digit code and kills the code after five wrong tries", async () => {
    const browser = new Browser();
    const email = uniqueEmail("code");
    await browser.post("/signup", { email, password: GOOD_PASSWORD });
    const [mail] = await waitForMail(email);
    const code = codeIn(mail as NonNullable<typeof mail>);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect((await browser.post("/verify/code", { email, code: wrong })).status).toBe(400);
    expect((await browser.post("/verify/code", { email, code })).status).toBe(400);
    expect((await users().findByEmail(email))?.emailVerified).toBe(false);
  });

  it("accepts the right code", async () => {
    const browser = new Browser();
    const email = uniqueEmail("code-ok");
    await browser.post("/signup", { email, password: GOOD_PASSWORD });
    const [mail] = await waitForMail(email);
    expect((await browser.post("/verify/code", { email, code: codeIn(mail as NonNullable<typeof mail>) })).status).toBe(200);
    expect((await users().findByEmail(email))?.emailVerified).toBe(true);
  });

  it("a resend supersedes the old link and an unknown address gets the same answer", async () => {
    const browser = new Browser();
    const email = uniqueEmail("resend");
    await browser.post("/signup", { email, password: GOOD_PASSWORD });
    const [first] = await waitForMail(email);
    const known = await browser.post("/verify/resend", { email });
    const unknown = await browser.post("/verify/resend", { email: uniqueEmail("nobody") });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    await waitForMail(email, 2);
    const oldToken = new URL(linkIn(first as NonNullable<typeof first>, "/verify"), "http://x").searchParams.get("token") ?? "";
    expect((await browser.post("/verify", { token: oldToken })).status).toBe(400);
  });

  it("normalizes addresses (trim, NFKC, lower case) and keeps plus-addressing distinct", () => {
    expect(normalizeEmail("  Ann@Example.COM ")).toBe("ann@example.com");
    expect(normalizeEmail("ａｎｎ@example.com")).toBe("ann@example.com");
    expect(normalizeEmail("ann+shop@example.com")).toBe("ann+shop@example.com");
    expect(normalizeEmail("ann@example")).toBeNull();
    expect(normalizeEmail("a b@example.com")).toBeNull();
    expect(normalizeEmail(42)).toBeNull();
  });

  it("sends nothing for an address that is not in the outbox yet", async () => {
    expect(await mailTo(uniqueEmail("silent"))).toHaveLength(0);
  });
});

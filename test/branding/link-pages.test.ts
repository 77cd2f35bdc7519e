import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sealInteraction } from "../../src/services/oidc/interaction";
import { defaultTheme } from "../../src/ui/theme";
import { admin } from "../admin/helpers";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { createTestClient, type TestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { authorizeUrl, pausedAuthorization } from "../helpers/oidc";
import { linkIn, type Mail, uniqueEmail, waitForMail } from "../helpers/outbox";

/**
 * Issue 6, "pages and emails follow the branding of the app the customer came from", for the pages an emailed
 * link opens: the sign-up's verification link, the password-reset link and a magic link opened in another
 * browser. The link's row remembers the journey; opening the link never consumes it.
 */

type ThemedMail = Mail & { html: string | null };

const NEW_PASSWORD = "lantern orchard pebble 77";

/** An app with its own brand, and the return path of a login paused for it (`/authorize?interaction=…`). */
async function brandedApp(name: string, primary: string): Promise<{ client: TestClient; returnTo: string }> {
  const client = await createTestClient();
  expect((await admin(`/admin/v1/branding/clients/${client.clientId}`, { method: "PUT", json: { name, colors: { primary } } })).status).toBe(200);
  const { returnTo } = await pausedAuthorization(new Browser(), client);
  expect(returnTo).toMatch(/^\/authorize\?interaction=/);
  return { client, returnTo };
}

function expectBrand(html: string, name: string, primary: string): void {
  expect(html).toContain(name);
  expect(html).toContain(`--gh-primary:${primary}`);
}

function expectDefaultBrand(html: string, notName: string): void {
  expect(html).toContain(defaultTheme.brandName);
  expect(html).toContain(`--gh-primary:${defaultTheme.primary}`);
  expect(html).not.toContain(notName);
}

/** The mail's heading names the brand and is underlined in its primary colour. */
function expectMailBrand(mail: ThemedMail, name: string, primary: string): void {
  expect(mail.html).toContain(`${name}</p>`);
  expect(mail.html).toContain(`border-bottom:3px solid ${primary}`);
}

function expectDefaultMailBrand(mail: ThemedMail, notName: string): void {
  expect(mail.html).toContain(`${defaultTheme.brandName}</p>`);
  expect(mail.html).toContain(`border-bottom:3px solid ${defaultTheme.primary}`);
  expect(mail.html).not.toContain(notName);
}

async function mailWithSubject(email: string, subject: string, count: number): Promise<ThemedMail> {
  const mail = ((await waitForMail(email, count)) as ThemedMail[]).find((message) => message.subject === subject);
  if (!mail) throw new Error(`no "${subject}" mail to ${email}`);
  return mail;
}

function tokenOf(path: string): string {
  return new URL(path, "http://x").searchParams.get("token") ?? "";
}

async function tokenRow(email: string, purpose: string) {
  return env.DB.prepare(
    "SELECT t.return_to, t.client_id, t.consumed_at FROM email_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ? AND t.purpose = ? ORDER BY t.created_at DESC",
  )
    .bind(email, purpose)
    .first<{ return_to: string | null; client_id: string | null; consumed_at: number | null }>();
}

/** Whether the page's form posting to `action` carries a paused authorization as its `return_to`. */
function formCarriesJourney(html: string, action: string): boolean {
  const form = html.split(`action="${action}"`)[1]?.split("</form>")[0] ?? "";
  return form.includes('name="return_to" value="/authorize?interaction=');
}

const loginContinuing = (returnTo: string) => `href="/login?${new URLSearchParams({ return_to: returnTo }).toString().replace(/&/g, "&amp;")}"`;

describe("the email-verification link follows the app the sign-up came from", () => {
  it("brands the email, the link page and the verified page, keeps the journey, and the GET consumes nothing", async () => {
    const { client, returnTo } = await brandedApp("Verify Shop", "#aa3300");
    const browser = new Browser();
    const email = uniqueEmail("link-verify");
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD, return_to: returnTo })).status).toBe(200);
    const mail = await mailWithSubject(email, "Verify your email address", 1);
    expectMailBrand(mail, "Verify Shop", "#aa3300");
    // Remembered server-side with the token: the link itself carries nothing but the token.
    const path = linkIn(mail, "/verify");
    expect(path).toMatch(/^\/verify\?token=[A-Za-z0-9_-]{43}$/);
    expect(await tokenRow(email, "verify_email")).toEqual({ return_to: returnTo, client_id: client.clientId, consumed_at: null });

    // Opened in a fresh browser (the customer's mail app): branded, twice, and still open.
    for (let i = 0; i < 2; i++) {
      const page = await new Browser().get(path);
      expect(page.status).toBe(200);
      expectBrand(await page.text(), "Verify Shop", "#aa3300");
    }
    expect((await tokenRow(email, "verify_email"))?.consumed_at).toBeNull();

    const done = await new Browser().post("/verify", { token: tokenOf(path) });
    expect(done.status).toBe(200);
    const html = await done.text();
    expectBrand(html, "Verify Shop", "#aa3300");
    expect(html).toContain("Your email address is verified.");
    // On to the app's login, not the generic one.
    expect(html).toContain(loginContinuing(returnTo));
    expect((await tokenRow(email, "verify_email"))?.consumed_at).not.toBeNull();
  });

  it("without an app: the default brand everywhere and the plain login afterwards", async () => {
    await brandedApp("Bystander App", "#123456");
    const email = uniqueEmail("link-plain");
    expect((await new Browser().post("/signup", { email, password: GOOD_PASSWORD })).status).toBe(200);
    const mail = await mailWithSubject(email, "Verify your email address", 1);
    expectDefaultMailBrand(mail, "Bystander App");
    const path = linkIn(mail, "/verify");
    expect(await tokenRow(email, "verify_email")).toEqual({ return_to: null, client_id: null, consumed_at: null });
    expectDefaultBrand(await (await new Browser().get(path)).text(), "Bystander App");
    const done = await new Browser().post("/verify", { token: tokenOf(path) });
    const html = await done.text();
    expectDefaultBrand(html, "Bystander App");
    expect(html).toContain('href="/login"');
  });

  it("the code page keeps the journey through a resend, and the resent email and link wear the app's brand", async () => {
    const { client, returnTo } = await brandedApp("Resend Co", "#0a7f55");
    const browser = new Browser();
    const email = uniqueEmail("link-resend");
    const signedUp = await (await browser.post("/signup", { email, password: GOOD_PASSWORD, return_to: returnTo })).text();
    // The resend button posts the journey along.
    expect(formCarriesJourney(signedUp, "/verify/resend")).toBe(true);
    await waitForMail(email, 1);

    const resent = await browser.post("/verify/resend", { email, return_to: returnTo });
    expect(resent.status).toBe(200);
    const page = await resent.text();
    expectBrand(page, "Resend Co", "#0a7f55");
    expect(page).toContain("a new message is on its way");
    // Both the code form and the next resend still carry it.
    expect(formCarriesJourney(page, "/verify/code")).toBe(true);
    expect(formCarriesJourney(page, "/verify/resend")).toBe(true);

    const mails = (await waitForMail(email, 2)) as ThemedMail[];
    const newest = mails[0];
    if (!newest) throw new Error("no resent mail");
    expectMailBrand(newest, "Resend Co", "#0a7f55");
    expect(await tokenRow(email, "verify_email")).toEqual({ return_to: returnTo, client_id: client.clientId, consumed_at: null });
    expectBrand(await (await new Browser().get(linkIn(newest, "/verify"))).text(), "Resend Co", "#0a7f55");
  });

  it("a login from an app that finds the address unverified sends a link that continues that app's journey", async () => {
    const { client, returnTo } = await brandedApp("Late Verifier", "#116677");
    const email = uniqueEmail("link-unverified");
    expect((await new Browser().post("/signup", { email, password: GOOD_PASSWORD })).status).toBe(200);
    await waitForMail(email, 1);
    const browser = new Browser();
    const refused = await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    expect(refused.status).toBe(200);
    const page = await refused.text();
    expectBrand(page, "Late Verifier", "#116677");
    expect(formCarriesJourney(page, "/verify/code")).toBe(true);
    expect(formCarriesJourney(page, "/verify/resend")).toBe(true);
    const newest = ((await waitForMail(email, 2)) as ThemedMail[])[0];
    if (!newest) throw new Error("no second verification mail");
    expectMailBrand(newest, "Late Verifier", "#116677");
    expect(await tokenRow(email, "verify_email")).toEqual({ return_to: returnTo, client_id: client.clientId, consumed_at: null });
    const done = await new Browser().post("/verify", { token: tokenOf(linkIn(newest, "/verify")) });
    expect(await done.text()).toContain(loginContinuing(returnTo));
  });

  it("the code sent by an app's required-verification step has a link that wears the app's brand and resumes the authorization", async () => {
    const client = await createTestClient({ require_verified: ["email"] });
    expect((await admin(`/admin/v1/branding/clients/${client.clientId}`, { method: "PUT", json: { name: "Strict Shop" } })).status).toBe(200);
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    expect((await browser.post("/login", { email, password: GOOD_PASSWORD })).status).toBe(303);
    await env.DB.prepare("UPDATE users SET email_verified = 0 WHERE email = ?").bind(email).run();
    const { url } = await authorizeUrl(client);
    const location = (await browser.get(url)).headers.get("location") ?? "";
    expect(location).toMatch(/^\/verify\/required\?interaction=/);
    expect((await browser.get(location)).status).toBe(200);
    const resumeAt = `/authorize?interaction=${encodeURIComponent(new URL(location, "http://x").searchParams.get("interaction") ?? "")}`;
    const mail = ((await waitForMail(email, 2)) as ThemedMail[])[0];
    if (!mail) throw new Error("no verification mail");
    expect(await tokenRow(email, "verify_email")).toEqual({ return_to: resumeAt, client_id: client.clientId, consumed_at: null });
    expect(await (await new Browser().get(linkIn(mail, "/verify"))).text()).toContain("Strict Shop");
  });

  it("keeps the app's brand after the paused login has expired: the row names the app, the path is only where to go on", async () => {
    const { client, returnTo } = await brandedApp("Patient App", "#5500aa");
    const email = uniqueEmail("link-late");
    expect((await new Browser().post("/signup", { email, password: GOOD_PASSWORD, return_to: returnTo })).status).toBe(200);
    const path = linkIn(await mailWithSubject(email, "Verify your email address", 1), "/verify");
    // 40 minutes later the interaction in the stored path no longer opens (it lives 30); the link (an hour) still works.
    const stale = await sealInteraction(env.KEY_ENCRYPTION_KEY, { params: { client_id: client.clientId }, authAfter: 0 }, Date.now() - 40 * 60_000);
    const staleReturnTo = `/authorize?interaction=${stale}`;
    await env.DB.prepare("UPDATE email_tokens SET return_to = ? WHERE token_hash IS NOT NULL AND user_id = (SELECT id FROM users WHERE email = ?)")
      .bind(staleReturnTo, email)
      .run();
    // The same path alone no longer names the app…
    expectDefaultBrand(await (await new Browser().get(`/login?return_to=${encodeURIComponent(staleReturnTo)}`)).text(), "Patient App");
    // …the link's page still does.
    expectBrand(await (await new Browser().get(path)).text(), "Patient App", "#5500aa");
  });

  it("a forged or foreign return_to brands nothing and is never followed off-site", async () => {
    const { client } = await brandedApp("Forged Brand", "#999900");
    const forged = `/authorize?client_id=${client.clientId}`;
    const forgedEmail = uniqueEmail("link-forged");
    expect((await new Browser().post("/signup", { email: forgedEmail, password: GOOD_PASSWORD, return_to: forged })).status).toBe(200);
    const forgedPath = linkIn(await mailWithSubject(forgedEmail, "Verify your email address", 1), "/verify");
    expect(await tokenRow(forgedEmail, "verify_email")).toEqual({ return_to: forged, client_id: null, consumed_at: null });
    expectDefaultBrand(await (await new Browser().get(forgedPath)).text(), "Forged Brand");

    const offsiteEmail = uniqueEmail("link-offsite");
    expect((await new Browser().post("/signup", { email: offsiteEmail, password: GOOD_PASSWORD, return_to: "//evil.example/x" })).status).toBe(200);
    const offsitePath = linkIn(await mailWithSubject(offsiteEmail, "Verify your email address", 1), "/verify");
    expect((await tokenRow(offsiteEmail, "verify_email"))?.return_to).toBeNull();
    const done = await (await new Browser().post("/verify", { token: tokenOf(offsitePath) })).text();
    expect(done).toContain('href="/login"');
    expect(done).not.toContain("evil.example");
  });

  it("an unknown, used or expired link gets the friendly page in the default brand", async () => {
    const { returnTo } = await brandedApp("Dead Link App", "#660066");
    const email = uniqueEmail("link-dead");
    expect((await new Browser().post("/signup", { email, password: GOOD_PASSWORD, return_to: returnTo })).status).toBe(200);
    const path = linkIn(await mailWithSubject(email, "Verify your email address", 1), "/verify");
    await env.DB.prepare("UPDATE email_tokens SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE email = ?)").bind(email).run();
    for (const dead of [path, `/verify?token=${"A".repeat(43)}`, "/verify?token=short", "/verify"]) {
      const page = await new Browser().get(dead);
      expect(page.status).toBe(400);
      const html = await page.text();
      expect(html).toContain("This verification link or code is invalid or has expired.");
      expectDefaultBrand(html, "Dead Link App");
    }
  });
});

describe("the password-reset link follows the app whose login asked for it", () => {
  it("carries the journey from the login page through /forgot into the link, its pages, its emails and back to the app's login", async () => {
    const { client, returnTo } = await brandedApp("Reset Bank", "#004488");
    const email = await createVerifiedAccount(new Browser());
    const browser = new Browser();
    const login = await (await browser.get(`/login?return_to=${encodeURIComponent(returnTo)}`)).text();
    const forgotHref = /href="(\/forgot[^"]*)"/.exec(login)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(new URL(forgotHref, "http://x").searchParams.get("return_to")).toBe(returnTo);

    const forgot = await (await browser.get(forgotHref)).text();
    expectBrand(forgot, "Reset Bank", "#004488");
    expect(forgot).toContain('name="return_to"');
    expect(forgot).toContain(loginContinuing(returnTo));
    const sent = await browser.post("/forgot", { email, return_to: returnTo });
    expect(sent.status).toBe(200);
    expectBrand(await sent.text(), "Reset Bank", "#004488");
    const mail = await mailWithSubject(email, "Reset your password", 2);
    expectMailBrand(mail, "Reset Bank", "#004488");
    expect(await tokenRow(email, "reset_password")).toEqual({ return_to: returnTo, client_id: client.clientId, consumed_at: null });

    const path = linkIn(mail, "/reset");
    const other = new Browser();
    for (let i = 0; i < 2; i++) {
      const page = await other.get(path);
      expect(page.status).toBe(200);
      expectBrand(await page.text(), "Reset Bank", "#004488");
    }
    expect((await tokenRow(email, "reset_password"))?.consumed_at).toBeNull();
    // A refused password shows the form again, still branded, and leaves the link open.
    const weak = await other.post("/reset", { token: tokenOf(path), new_password: "short" });
    expect(weak.status).toBe(400);
    expectBrand(await weak.text(), "Reset Bank", "#004488");
    expect((await tokenRow(email, "reset_password"))?.consumed_at).toBeNull();

    const done = await other.post("/reset", { token: tokenOf(path), new_password: NEW_PASSWORD });
    expect(done.status).toBe(200);
    const html = await done.text();
    expectBrand(html, "Reset Bank", "#004488");
    expect(html).toContain(loginContinuing(returnTo));
    const changed = await mailWithSubject(email, "Your password was changed", 3);
    expectMailBrand(changed, "Reset Bank", "#004488");
  });

  it("without an app: default brand on the link, its pages and its emails", async () => {
    await brandedApp("Unrelated Bank", "#334455");
    const email = await createVerifiedAccount(new Browser());
    const browser = new Browser();
    expect((await browser.get("/login")).status).toBe(200);
    expect(await (await browser.get("/login")).text()).toContain('href="/forgot"');
    expect((await browser.post("/forgot", { email })).status).toBe(200);
    const mail = await mailWithSubject(email, "Reset your password", 2);
    expectDefaultMailBrand(mail, "Unrelated Bank");
    expect(await tokenRow(email, "reset_password")).toEqual({ return_to: null, client_id: null, consumed_at: null });
    const path = linkIn(mail, "/reset");
    expectDefaultBrand(await (await new Browser().get(path)).text(), "Unrelated Bank");
    const done = await new Browser().post("/reset", { token: tokenOf(path), new_password: NEW_PASSWORD });
    const html = await done.text();
    expectDefaultBrand(html, "Unrelated Bank");
    expect(html).toContain('href="/login"');
    expectDefaultMailBrand(await mailWithSubject(email, "Your password was changed", 3), "Unrelated Bank");
  });

  it("an unknown, used or expired reset link gets the friendly page in the default brand, on the GET and the POST", async () => {
    const { returnTo } = await brandedApp("Spent Link Bank", "#770011");
    const email = await createVerifiedAccount(new Browser());
    expect((await new Browser().post("/forgot", { email, return_to: returnTo })).status).toBe(200);
    const path = linkIn(await mailWithSubject(email, "Reset your password", 2), "/reset");
    expect((await new Browser().post("/reset", { token: tokenOf(path), new_password: NEW_PASSWORD })).status).toBe(200);
    for (const dead of [path, `/reset?token=${"B".repeat(43)}`, "/reset"]) {
      const page = await new Browser().get(dead);
      expect(page.status).toBe(400);
      const html = await page.text();
      expect(html).toContain("This reset link is invalid, already used or expired.");
      expectDefaultBrand(html, "Spent Link Bank");
    }
    const again = await new Browser().post("/reset", { token: tokenOf(path), new_password: NEW_PASSWORD });
    expect(again.status).toBe(400);
    expectDefaultBrand(await again.text(), "Spent Link Bank");
  });
});

describe("a magic link opened in another browser follows the app the login was for", () => {
  async function requestLink(browser: Browser, email: string, returnTo?: string): Promise<{ path: string; mail: ThemedMail }> {
    expect((await browser.post("/login/link", returnTo ? { email, return_to: returnTo } : { email })).status).toBe(200);
    const mail = await mailWithSubject(email, "Your login link", 2);
    const path = /http:\/\/localhost:8787(\/login\/link\/[A-Za-z0-9_-]{43})\b/.exec(mail.text)?.[1];
    if (!path) throw new Error(`no link in: ${mail.text}`);
    return { path, mail };
  }

  async function magicRow(email: string) {
    return env.DB.prepare(
      "SELECT c.client_id, c.consumed_at FROM one_time_codes c JOIN users u ON u.id = c.user_id WHERE u.email = ? AND c.purpose = 'magic_link'",
    )
      .bind(email)
      .first<{ client_id: string | null; consumed_at: number | null }>();
  }

  it("the email and the code page in the other browser wear the app's brand; neither the GET nor a POST there uses the link", async () => {
    const { client, returnTo } = await brandedApp("Magic Mall", "#bb0066");
    const asking = new Browser();
    const email = await createVerifiedAccount(asking);
    const { path, mail } = await requestLink(asking, email, returnTo);
    expectMailBrand(mail, "Magic Mall", "#bb0066");
    expect(await magicRow(email)).toEqual({ client_id: client.clientId, consumed_at: null });

    const other = new Browser();
    const shown = await other.get(path);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('data-testid="magic-link-code"');
    expectBrand(html, "Magic Mall", "#bb0066");
    const forced = await other.post("/login/link/confirm", { token: path.split("/").pop() ?? "" });
    expect(forced.status).toBe(200);
    expectBrand(await forced.text(), "Magic Mall", "#bb0066");
    expect(other.cookies.has("__Host-gh_session")).toBe(false);
    expect((await magicRow(email))?.consumed_at).toBeNull();
    // The asking browser is branded from its own cookie, as before.
    expectBrand(await (await asking.get(path)).text(), "Magic Mall", "#bb0066");
  });

  it("without an app: the default brand; a dead link: the friendly page in the default brand", async () => {
    await brandedApp("Quiet Mall", "#225500");
    const asking = new Browser();
    const email = await createVerifiedAccount(asking);
    const { path } = await requestLink(asking, email);
    expect((await magicRow(email))?.client_id).toBeNull();
    expectDefaultBrand(await (await new Browser().get(path)).text(), "Quiet Mall");
    const dead = await new Browser().get(`/login/link/${"C".repeat(43)}`);
    expect(dead.status).toBe(400);
    const html = await dead.text();
    expect(html).toContain("This login link is invalid, already used or expired.");
    expectDefaultBrand(html, "Quiet Mall");
  });
});

describe("the passwordless sign-up link follows the app the sign-up came from", () => {
  it("wears the app's brand in the browser that signed up and in another one; without an app, the default", async () => {
    const { returnTo } = await brandedApp("Signly", "#8a2be2");
    const email = uniqueEmail("signup-link-brand");
    const asking = new Browser();
    expect((await asking.post("/signup/link", { email, return_to: returnTo })).status).toBe(200);
    const path = /(\/signup\/link\/[A-Za-z0-9_-]{43})\b/.exec((await mailWithSubject(email, "Finish creating your account", 1)).text)?.[1] ?? "";
    const here = await (await asking.get(path)).text();
    expect(here).toContain('action="/signup/link/confirm"');
    expectBrand(here, "Signly", "#8a2be2");
    const elsewhere = await (await new Browser().get(path)).text();
    expect(elsewhere).toContain('data-testid="signup-link-code"');
    expectBrand(elsewhere, "Signly", "#8a2be2");

    const plain = uniqueEmail("signup-link-plain");
    await new Browser().post("/signup/link", { email: plain });
    const plainPath = /(\/signup\/link\/[A-Za-z0-9_-]{43})\b/.exec((await mailWithSubject(plain, "Finish creating your account", 1)).text)?.[1] ?? "";
    expectDefaultBrand(await (await new Browser().get(plainPath)).text(), "Signly");
  });
});

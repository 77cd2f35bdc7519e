import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import type { AppEnv } from "../src/app-env";
import { handleError } from "../src/middleware/errors";
import { GuardUnavailableError } from "../src/storage/guards";
import { createVerifiedAccount, GOOD_PASSWORD } from "./helpers/accounts";
import { Browser, ORIGIN } from "./helpers/http";
import { uniqueEmail, waitForMail } from "./helpers/outbox";

describe("CSRF protection", () => {
  it("refuses a form post from another origin, without a token, or with a wrong token; nothing is written", async () => {
    const browser = new Browser();
    const email = uniqueEmail("csrf");
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD }, { csrf: null })).status).toBe(403);
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD }, { csrf: "A".repeat(43) })).status).toBe(403);
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD }, { origin: null })).status).toBe(403);
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD }, { origin: "null" })).status).toBe(403);
    const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first();
    expect(row).toBeNull();
  });

  it("accepts a same-origin Referer when Origin is missing", async () => {
    const browser = new Browser();
    await browser.get("/login");
    const response = await browser.fetch("/forgot", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", referer: `${ORIGIN}/forgot` },
      body: new URLSearchParams({ csrf_token: browser.cookies.get("__Host-gh_csrf") ?? "", email: uniqueEmail() }),
    });
    expect(response.status).toBe(200);
  });

  it("shows a friendly page for a refused post", async () => {
    const response = await new Browser().post("/login", { email: "a@b.example", password: "x" }, { origin: "https://evil.example" });
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("This request was refused");
  });
});

describe("security headers", () => {
  it("sends a nonce-based CSP, frame-ancestors none, same-origin referrer policy and HSTS on pages", async () => {
    const response = await new Browser().get("/signup");
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(await response.text()).toContain(`<script nonce="${nonce}">`);
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("uses __Host- cookies for CSRF", async () => {
    const response = await new Browser().get("/login");
    expect(response.headers.getSetCookie().join("\n")).toMatch(/__Host-gh_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
  });
});

describe("bad input", () => {
  it("refuses oversized bodies with 413 before parsing", async () => {
    const browser = new Browser();
    const response = await browser.post("/login", { email: "a@b.example", password: "x".repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("more data than we accept");
  });

  it("refuses wrong content types with 415", async () => {
    const browser = new Browser();
    await browser.get("/login");
    const response = await browser.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email: "a@b.example", password: "x", csrf_token: browser.cookies.get("__Host-gh_csrf") }),
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain("That kind of request is not accepted here.");
    const text = await browser.fetch("/logout", { method: "POST", headers: { "content-type": "text/plain", origin: ORIGIN }, body: "hello" });
    expect(text.status).toBe(415);
  });

  it("accepts multipart forms as well as urlencoded ones", async () => {
    const browser = new Browser();
    await browser.get("/login");
    const token = browser.cookies.get("__Host-gh_csrf") ?? "";
    const form = new FormData();
    form.set("csrf_token", token);
    form.set("email", "a@b.example");
    form.set("password", "x");
    const multipart = await browser.fetch("/login", { method: "POST", headers: { origin: ORIGIN }, body: form });
    expect(multipart.status).toBe(401);
  });

  it("refuses a file upload where text is expected", async () => {
    const browser = new Browser();
    await browser.get("/login");
    const form = new FormData();
    form.set("csrf_token", browser.cookies.get("__Host-gh_csrf") ?? "");
    form.set("email", new File(["x"], "x.txt"));
    form.set("password", "x");
    expect((await browser.fetch("/login", { method: "POST", headers: { origin: ORIGIN }, body: form })).status).toBe(400);
  });

  it("handles SQL-looking strings as plain data", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const response = await browser.post("/login", { email: `${email}' OR '1'='1`, password: "' OR ''='" });
    expect(response.status).toBe(401);
    const injected = await browser.post("/signup", { email: "x'OR'1'='1--@Example.com", password: GOOD_PASSWORD });
    expect(injected.status).toBe(200);
    const row = await env.DB.prepare("SELECT email FROM users WHERE email = ?").bind("x'or'1'='1--@example.com").first<{ email: string }>();
    expect(row?.email).toBe("x'or'1'='1--@example.com");
  });

  it("renders a friendly 404 page and a problem document on JSON surfaces", async () => {
    const page = await new Browser().get("/nope");
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("We could not find that page.");
    const api = await new Browser().get("/admin/v1/nope");
    expect(api.status).toBeGreaterThanOrEqual(400);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
  });

  it("fails closed with 503 when a guard is unreachable", async () => {
    const app = new Hono<AppEnv>();
    app.get("/login-ish", () => {
      throw new GuardUnavailableError("down");
    });
    app.onError(handleError);
    const response = await app.request("/login-ish");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });
});

describe("development outbox", () => {
  it("does not exist outside development", async () => {
    expect((await new Browser().get("/dev/outbox.json")).status).toBe(404);
    expect((await new Browser().get("/dev/outbox")).status).toBe(404);
  });

  it("lists messages newest first, matched on the canonical, URL-decoded address", async () => {
    const email = await createVerifiedAccount(new Browser());
    await new Browser().post("/forgot", { email });
    await waitForMail(email, 2);
    const devEnv = { ...env, ENVIRONMENT: "development" };
    const app = createApp();
    const query = encodeURIComponent(`  ${email.toUpperCase()}`);
    const response = await app.fetch(new Request(`${ORIGIN}/dev/outbox.json?to=${query}`), devEnv, {
      waitUntil() {},
      passThroughOnException() {},
    } as unknown as ExecutionContext);
    expect(response.status).toBe(200);
    const body = await response.json<{
      messages: { id: string; channel: string; to: string; subject: string; text: string; html: string; created_at: string }[];
    }>();
    expect(body.messages).toHaveLength(2);
    expect(body.messages[0]).toMatchObject({ channel: "email", to: email, subject: "Reset your password" });
    expect(body.messages[0]?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.messages[1]?.subject).toBe("Verify your email address");
    expect(Object.keys(body.messages[0] ?? {}).sort()).toEqual(["channel", "created_at", "html", "id", "subject", "text", "to"]);
    const page = await app.fetch(new Request(`${ORIGIN}/dev/outbox`), devEnv, { waitUntil() {}, passThroughOnException() {} } as unknown as ExecutionContext);
    expect(await page.text()).toContain("Development outbox");
  });
});

describe("languages", () => {
  it("negotiates German from Accept-Language and ui_locales, and remembers a chosen language", async () => {
    const browser = new Browser();
    const german = await browser.fetch("/login", { headers: { "accept-language": "de-DE,de;q=0.9,en;q=0.5" } });
    expect(await german.text()).toContain("Anmelden");
    const viaParam = await browser.get("/login?ui_locales=fr%20de");
    expect(await viaParam.text()).toContain('<html lang="de">');
    const english = await browser.fetch("/login", { headers: { "accept-language": "fr, en;q=0.8" } });
    expect(await english.text()).toContain('<html lang="en">');
    const switched = await browser.post("/language", { locale: "de", return_to: "/signup" });
    expect(switched.headers.get("location")).toBe("/signup");
    expect(await (await browser.get("/signup")).text()).toContain("Konto erstellen");
  });

  it("returns to the page with its query (a link's token, the journey), without ui_locales", async () => {
    const browser = new Browser();
    const page = await (await browser.get("/verify?token=abc_DEF-123&ui_locales=en")).text();
    expect(page).toContain('<input type="hidden" name="return_to" value="/verify?token=abc_DEF-123"/>');
    const switched = await browser.post("/language", { locale: "de", return_to: "/verify?token=abc_DEF-123" });
    expect(switched.headers.get("location")).toBe("/verify?token=abc_DEF-123");
  });
});

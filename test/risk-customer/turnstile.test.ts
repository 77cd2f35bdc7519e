import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { ConfigError, DEFAULT_TURNSTILE_VERIFY_URL, loadConfig } from "../../src/config";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { Browser, ORIGIN } from "../helpers/http";
import { uniqueEmail } from "../helpers/outbox";

const VERIFY_URL = "https://siteverify.test/turnstile/v0/siteverify";
const SITE_KEY = "1x00000000000000000000AA";
const SECRET = "turnstile-test-secret";
const app = createApp();
const turnstileEnv = { ...env, TURNSTILE_SITE_KEY: SITE_KEY, TURNSTILE_SECRET_KEY: SECRET, TURNSTILE_VERIFY_URL: VERIFY_URL };
const context = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** The edge says "likely automated" (bot score 20): 40 points, exactly the default `turnstileAt`. */
const BORDERLINE = { country: "FR", city: "Lyon", botManagement: { score: 20 } };

let nextAddress = 0;

/** A browser against the app with Turnstile configured (or the test default without it), from a place of its own. */
class EdgeBrowser {
  readonly cookies = new Map<string, string>();
  readonly ip = `172.20.${Math.floor(Math.random() * 200)}.${(nextAddress++ % 250) + 1}`;
  constructor(
    readonly cf: Record<string, unknown> | null,
    readonly turnstile = true,
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", this.ip);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const request = new Request(`${ORIGIN}${path}`, { ...init, headers, redirect: "manual", ...(this.cf ? { cf: this.cf } : {}) } as RequestInit);
    const response = await app.fetch(request, this.turnstile ? turnstileEnv : env, context);
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    if (!this.cookies.has("__Host-gh_csrf")) await this.fetch("/login");
    const body = new URLSearchParams({ csrf_token: this.cookies.get("__Host-gh_csrf") ?? "", ...fields });
    return this.fetch(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN }, body });
  }
}

interface SiteverifyCall {
  url: string;
  form: URLSearchParams;
}

/**
 * A fake siteverify in place of the Worker's outbound `fetch`: tokens `good-<action>` pass for that action,
 * anything else is refused; `down` makes the endpoint fail.
 */
function fakeSiteverify(mode: "up" | "down" | "error" = "up"): SiteverifyCall[] {
  const calls: SiteverifyCall[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    calls.push({ url: request.url, form: new URLSearchParams(await request.text()) });
    if (mode === "down") throw new TypeError("network connection lost");
    if (mode === "error") return new Response("oops", { status: 500 });
    const token = calls.at(-1)?.form.get("response") ?? "";
    const action = /^good-(\w+)$/.exec(token)?.[1];
    return Response.json(
      action ? { success: true, action, hostname: "localhost", "error-codes": [] } : { success: false, "error-codes": ["invalid-input-response"] },
    );
  });
  return calls;
}

async function accountEmail(): Promise<string> {
  return createVerifiedAccount(new Browser());
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Turnstile on login", () => {
  it("is not asked of a low-risk source: no widget, no CSP change, and siteverify is never called", async () => {
    const calls = fakeSiteverify();
    const email = await accountEmail();
    const browser = new EdgeBrowser(null);
    const page = await browser.fetch("/login");
    expect(await page.text()).not.toContain("cf-turnstile");
    expect(page.headers.get("content-security-policy")).not.toContain("challenges.cloudflare.com");
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/account");
    expect(calls).toHaveLength(0);
  });

  it("shows a borderline source the widget, and lets Cloudflare's challenge in on that page only", async () => {
    fakeSiteverify();
    const page = await new EdgeBrowser(BORDERLINE).fetch("/login");
    const html = await page.text();
    expect(html).toContain(`data-sitekey="${SITE_KEY}"`);
    expect(html).toContain('data-action="login"');
    expect(html).toMatch(/<script src="https:\/\/challenges\.cloudflare\.com\/turnstile\/v0\/api\.js" nonce="[A-Za-z0-9_-]+"/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-src https://challenges.cloudflare.com;");
    expect(csp).toContain("'strict-dynamic' https://challenges.cloudflare.com;");
    expect(csp).toContain("default-src 'none'");
    expect(html).not.toContain(SECRET);
  });

  it("refuses a borderline login without a token before its password is looked at", async () => {
    const calls = fakeSiteverify();
    const email = await accountEmail();
    const browser = new EdgeBrowser(BORDERLINE);
    const refused = await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Please confirm you are a person");
    expect(html).toContain('class="cf-turnstile"');
    expect(refused.headers.get("content-security-policy")).toContain("frame-src https://challenges.cloudflare.com;");
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
    expect(calls).toHaveLength(0);
    const attempts = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'user.login' AND ip = ?")
      .bind(browser.ip)
      .first<{ n: number }>();
    expect(attempts?.n).toBe(0);
  });

  it("lets a borderline login with a valid token through, verified with the secret, the source address and an idempotency key", async () => {
    const calls = fakeSiteverify();
    const email = await accountEmail();
    const browser = new EdgeBrowser(BORDERLINE);
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD, "cf-turnstile-response": "good-login" });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/account");
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe(VERIFY_URL);
    expect(call?.form.get("secret")).toBe(SECRET);
    expect(call?.form.get("response")).toBe("good-login");
    expect(call?.form.get("remoteip")).toBe(browser.ip);
    expect(call?.form.get("idempotency_key")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("refuses a bad token, and a token solved for the sign-up form", async () => {
    fakeSiteverify();
    const email = await accountEmail();
    for (const token of ["forged", "good-signup"]) {
      const browser = new EdgeBrowser(BORDERLINE);
      const refused = await browser.post("/login", { email, password: GOOD_PASSWORD, "cf-turnstile-response": token });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("We could not confirm you are a person");
      expect(browser.cookies.has("__Host-gh_session")).toBe(false);
    }
  });

  it("fails closed when siteverify is unreachable or broken", async () => {
    const email = await accountEmail();
    for (const mode of ["down", "error"] as const) {
      vi.restoreAllMocks();
      const calls = fakeSiteverify(mode);
      const browser = new EdgeBrowser(BORDERLINE);
      const refused = await browser.post("/login", { email, password: GOOD_PASSWORD, "cf-turnstile-response": "good-login" });
      expect(refused.status).toBe(400);
      expect(calls).toHaveLength(1);
      expect(browser.cookies.has("__Host-gh_session")).toBe(false);
    }
  });
});

describe("Turnstile on sign-up", () => {
  it("a borderline sign-up needs a valid token before any account is made", async () => {
    const calls = fakeSiteverify();
    const email = uniqueEmail("turnstile");
    const browser = new EdgeBrowser(BORDERLINE);
    const page = await browser.fetch("/signup");
    expect(await page.text()).toContain('data-action="signup"');
    const refused = await browser.post("/signup", { email, password: GOOD_PASSWORD });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Please confirm you are a person");
    expect(await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first()).toBeNull();
    const loginToken = await browser.post("/signup", { email, password: GOOD_PASSWORD, "cf-turnstile-response": "good-login" });
    expect(loginToken.status).toBe(400);
    expect(await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first()).toBeNull();
    const accepted = await browser.post("/signup", { email, password: GOOD_PASSWORD, "cf-turnstile-response": "good-signup" });
    expect(accepted.status).toBe(200);
    expect(await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first()).not.toBeNull();
    expect(calls.map((call) => call.form.get("response"))).toEqual(["good-login", "good-signup"]);
  });
});

describe("Turnstile on the passwordless sign-up starts", () => {
  const starts: [string, Record<string, string>][] = [
    ["/signup/passkey", {}],
    ["/signup/code", {}],
    ["/signup/link", {}],
    ["/signup/sms", { phone: "+4915123456789" }],
  ];
  for (const [path, extra] of starts) {
    it(`${path}: a borderline source gets the widget and needs a valid token before anything is stored or sent`, async () => {
      const calls = fakeSiteverify();
      const email = uniqueEmail("turnstile-start");
      const browser = new EdgeBrowser(BORDERLINE);
      expect(await (await browser.fetch(path)).text()).toContain('data-action="signup"');
      const refused = await browser.post(path, { email, ...extra });
      expect(refused.status).toBe(400);
      const page = await refused.text();
      expect(page).toContain("Please confirm you are a person");
      expect(page).toContain('data-action="signup"');
      expect(await env.DB.prepare("SELECT id FROM signup_requests WHERE email = ?").bind(email).first()).toBeNull();
      expect(calls).toEqual([]);
      const accepted = await browser.post(path, { email, ...extra, "cf-turnstile-response": "good-signup" });
      expect(accepted.status).toBe(200);
      expect(calls.map((call) => call.form.get("response"))).toEqual(["good-signup"]);
    });
  }
});

describe("without Turnstile configured", () => {
  it("nothing changes, even for a borderline source", async () => {
    const calls = fakeSiteverify();
    const email = await accountEmail();
    const browser = new EdgeBrowser(BORDERLINE, false);
    const page = await browser.fetch("/login");
    expect(await page.text()).not.toContain("cf-turnstile");
    expect(page.headers.get("content-security-policy")).not.toContain("challenges.cloudflare.com");
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect(login.status).toBe(303);
    const signup = await new EdgeBrowser(BORDERLINE, false).post("/signup", { email: uniqueEmail("plain"), password: GOOD_PASSWORD });
    expect(signup.status).toBe(200);
    expect(calls).toHaveLength(0);
  });
});

describe("Turnstile configuration", () => {
  const valid = {
    ISSUER_URL: "https://id.example.com",
    KEY_ENCRYPTION_KEY: "k".repeat(32),
    PASSWORD_PEPPER: "p".repeat(32),
    ADMIN_API_TOKEN: "a".repeat(32),
    EMAIL_API_URL: "https://mail.example.com/send",
  };

  it("is off by default and on with both keys, verifying at Cloudflare unless told otherwise", () => {
    expect(loadConfig({ ...valid }).turnstile).toBeNull();
    expect(loadConfig({ ...valid, TURNSTILE_SITE_KEY: "site", TURNSTILE_SECRET_KEY: "secret" }).turnstile).toEqual({
      siteKey: "site",
      secretKey: "secret",
      verifyUrl: DEFAULT_TURNSTILE_VERIFY_URL,
    });
  });

  it("wants both keys together and an https siteverify URL in production, without echoing the secret", () => {
    expect(() => loadConfig({ ...valid, TURNSTILE_SITE_KEY: "site" })).toThrow(/TURNSTILE_SITE_KEY and TURNSTILE_SECRET_KEY go together/);
    expect(() => loadConfig({ ...valid, TURNSTILE_SECRET_KEY: "very-secret-value" })).toThrow(ConfigError);
    try {
      loadConfig({ ...valid, TURNSTILE_SECRET_KEY: "very-secret-value", TURNSTILE_VERIFY_URL: "http://plain.example.com/verify" });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/TURNSTILE_VERIFY_URL must use https/);
      expect((error as Error).message).not.toContain("very-secret-value");
    }
  });
});

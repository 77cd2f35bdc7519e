import { env } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearUpstreamMetadataCache } from "../../src/services/federation/providers/metadata-cache";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "../helpers/accounts";
import { uniqueEmail } from "../helpers/outbox";
import { FakeUpstream } from "./fake-upstream";
import { Browser, callback, federatedLogin, registerUpstream, startLogin } from "./flow-helpers";
import { admin } from "./helpers";

const upstream = new FakeUpstream("oidc");
let providerId = "";
let untrustedId = "";

beforeAll(async () => {
  await upstream.start();
  providerId = await registerUpstream(upstream, { trust_email: true });
  untrustedId = await registerUpstream(upstream, { trust_email: false });
});
afterAll(() => upstream.stop());
beforeEach(() => {
  upstream.misbehave = {};
});

const subject = () => `sub-${crypto.randomUUID()}`;

async function accountEmail(browser: Browser): Promise<string | null> {
  const page = await browser.get("/account");
  if (page.status !== 200) return null;
  return (await page.text()).match(/[\w.+-]+@example\.com/)?.[0] ?? null;
}

function userByEmail(email: string) {
  return env.DB.prepare("SELECT id, email_verified, password_hash, name FROM users WHERE email = ?")
    .bind(email)
    .first<{ id: string; email_verified: number; password_hash: string | null; name: string | null }>();
}

describe("generic OpenID Connect login", () => {
  it("sends the browser to the provider with PKCE S256, state and nonce", async () => {
    const browser = new Browser();
    const url = new URL(await startLogin(browser, providerId));
    expect(url.origin + url.pathname).toBe(`${upstream.issuer}/authorize`);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{30,}$/);
    expect(url.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{30,}$/);
    expect(url.searchParams.get("redirect_uri")).toBe(`http://localhost:8787/login/${providerId}/callback`);
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    expect(browser.cookies.has("__Host-gh_fed")).toBe(true);
  });

  it("signs up a new customer, maps attributes and logs them in with amr fed", async () => {
    const browser = new Browser();
    const email = uniqueEmail();
    const response = await federatedLogin(browser, upstream, providerId, { sub: subject(), email, email_verified: true, name: "Fed Erated", locale: "de-DE" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account");
    expect(await accountEmail(browser)).toBe(email);
    const user = await userByEmail(email);
    expect(user).toMatchObject({ email_verified: 1, password_hash: null, name: "Fed Erated" });
    // The verifier reached the token endpoint (PKCE), and the session says how the user logged in.
    expect(upstream.tokenRequests.at(-1)?.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const login = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login'")
      .bind(user?.id)
      .first<{ details: string }>();
    expect(JSON.parse(login?.details ?? "{}")).toMatchObject({ method: "federated", amr: ["fed"] });
  });

  it("logs the same identity in again by (iss, sub), whatever the email says now", async () => {
    const sub = subject();
    const email = uniqueEmail();
    expect((await federatedLogin(new Browser(), upstream, providerId, { sub, email, email_verified: true })).status).toBe(303);
    const again = new Browser();
    expect((await federatedLogin(again, upstream, providerId, { sub, email: uniqueEmail(), email_verified: true })).status).toBe(303);
    expect(await accountEmail(again)).toBe(email);
  });

  it("auto-links to an existing verified account only when both emails are verified and the provider is trusted", async () => {
    const owner = new Browser();
    const email = await createVerifiedAccount(owner);
    const browser = new Browser();
    expect((await federatedLogin(browser, upstream, providerId, { sub: subject(), email, email_verified: true })).status).toBe(303);
    expect(await accountEmail(browser)).toBe(email);
  });

  it("does not link when the upstream email is unverified: the customer proves the account first, then confirms", async () => {
    const email = await createVerifiedAccount(new Browser());
    const browser = new Browser();
    const sub = subject();
    const response = await federatedLogin(browser, upstream, providerId, { sub, email, email_verified: false });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("return_to=%2Ffederation%2Flink");
    expect(await accountEmail(browser)).toBeNull();
    expect(await env.DB.prepare("SELECT count(*) AS n FROM federated_identities WHERE sub = ?").bind(sub).first("n")).toBe(0);

    await logIn(browser, email);
    expect((await browser.get("/federation/link")).status).toBe(200);
    const confirmed = await browser.post("/federation/link", {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe("/account/identities?notice=linked");
    const user = await userByEmail(email);
    expect(await env.DB.prepare("SELECT user_id FROM federated_identities WHERE sub = ?").bind(sub).first("user_id")).toBe(user?.id);
    // The identity now logs in to that account.
    const later = new Browser();
    expect((await federatedLogin(later, upstream, providerId, { sub, email, email_verified: false })).status).toBe(303);
    expect(await accountEmail(later)).toBe(email);
  });

  it("does not link through a provider not trusted for email, even with email_verified true", async () => {
    const email = await createVerifiedAccount(new Browser());
    const browser = new Browser();
    const response = await federatedLogin(browser, upstream, untrustedId, { sub: subject(), email, email_verified: true });
    expect(response.status).toBe(200);
    expect(await accountEmail(browser)).toBeNull();
  });

  it("a pending link cannot be taken by another account", async () => {
    const victimEmail = await createVerifiedAccount(new Browser());
    const attacker = new Browser();
    const attackerEmail = await createVerifiedAccount(attacker);
    const sub = subject();
    expect((await federatedLogin(attacker, upstream, providerId, { sub, email: victimEmail, email_verified: false })).status).toBe(200);
    await logIn(attacker, attackerEmail);
    expect((await attacker.get("/federation/link")).status).toBe(400);
    expect((await attacker.post("/federation/link", {})).status).toBe(400);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM federated_identities WHERE sub = ?").bind(sub).first("n")).toBe(0);
  });

  it("pre-hijacking: an unverified pre-registered account never captures the identity; the real owner reclaims it and the attacker's password and sessions are wiped", async () => {
    const email = uniqueEmail();
    const attacker = new Browser();
    expect((await attacker.post("/signup", { email, password: GOOD_PASSWORD })).status).toBe(200);
    const before = await userByEmail(email);
    expect(before?.password_hash).not.toBeNull();

    // Untrusted upstream: no capture, no login.
    const owner = new Browser();
    expect((await federatedLogin(owner, upstream, untrustedId, { sub: subject(), email, email_verified: true })).status).toBe(200);
    expect(await accountEmail(owner)).toBeNull();
    expect((await userByEmail(email))?.password_hash).not.toBeNull();

    // Trusted upstream with a verified address: the owner gets the account; the attacker's password is gone.
    expect((await federatedLogin(owner, upstream, providerId, { sub: subject(), email, email_verified: true })).status).toBe(303);
    expect(await accountEmail(owner)).toBe(email);
    const after = await userByEmail(email);
    expect(after).toMatchObject({ id: before?.id, password_hash: null, email_verified: 1 });
    const login = await attacker.post("/login", { email, password: GOOD_PASSWORD });
    expect(login.status).toBe(401);
  });

  it("creates no account from an address the provider does not vouch for (untrusted provider or email_verified false)", async () => {
    for (const [id, verified] of [
      [untrustedId, true],
      [providerId, false],
    ] as const) {
      const email = uniqueEmail();
      const browser = new Browser();
      expect((await federatedLogin(browser, upstream, id, { sub: subject(), email, email_verified: verified })).status).toBe(400);
      expect(await userByEmail(email)).toBeNull();
      expect(await accountEmail(browser)).toBeNull();
    }
  });

  it("refuses an upstream without an email address for a new account", async () => {
    const response = await federatedLogin(new Browser(), upstream, providerId, { sub: subject() });
    expect(response.status).toBe(400);
  });
});

describe("state", () => {
  it("a missing state is a 400 page", async () => {
    const response = await callback(new Browser(), providerId, new URLSearchParams({ code: "x" }));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  it("an unknown state is a 400", async () => {
    const browser = new Browser();
    await startLogin(browser, providerId);
    expect((await callback(browser, providerId, new URLSearchParams({ code: "x", state: "forged-state-value-0123456789abcdef" }))).status).toBe(400);
  });

  it("a replayed callback is a 400 (state is single use)", async () => {
    const browser = new Browser();
    const parameters = upstream.consent(await startLogin(browser, providerId), { sub: subject(), email: uniqueEmail(), email_verified: true });
    expect((await callback(browser, providerId, parameters)).status).toBe(303);
    expect((await callback(browser, providerId, parameters)).status).toBe(400);
  });

  it("a state started in another browser is refused (login CSRF)", async () => {
    const attacker = new Browser();
    const parameters = upstream.consent(await startLogin(attacker, providerId), { sub: subject(), email: uniqueEmail(), email_verified: true });
    const victim = new Browser();
    await victim.get("/login");
    expect((await callback(victim, providerId, parameters)).status).toBe(400);
    expect(await accountEmail(victim)).toBeNull();
  });

  it("keeps only a hash of state, and an expired state is refused", async () => {
    const browser = new Browser();
    const authorization = await startLogin(browser, providerId);
    const state = new URL(authorization).searchParams.get("state") ?? "";
    expect(await env.DB.prepare("SELECT count(*) AS n FROM federation_states WHERE state_hash = ?").bind(state).first("n")).toBe(0);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(state)));
    const hash = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    const row = await env.DB.prepare("SELECT expires_at - created_at AS life FROM federation_states WHERE state_hash = ?").bind(hash).first<{ life: number }>();
    expect(row?.life).toBe(10 * 60 * 1000);
    await env.DB.prepare("UPDATE federation_states SET expires_at = created_at WHERE state_hash = ?").bind(hash).run();
    const parameters = upstream.consent(authorization, { sub: subject(), email: uniqueEmail(), email_verified: true });
    expect((await callback(browser, providerId, parameters)).status).toBe(400);
  });

  it("a state of another provider is refused", async () => {
    const browser = new Browser();
    const parameters = upstream.consent(await startLogin(browser, providerId), { sub: subject(), email: uniqueEmail(), email_verified: true });
    expect((await callback(browser, untrustedId, parameters)).status).toBe(400);
  });

  it("an unknown or disabled provider is a 404", async () => {
    expect((await callback(new Browser(), "no-such-provider", new URLSearchParams({ state: "x" }))).status).toBe(404);
    const id = await registerUpstream(upstream);
    expect((await admin(`/admin/v1/identity-providers/${id}`, { method: "PATCH", json: { enabled: false } })).status).toBe(200);
    expect((await callback(new Browser(), id, new URLSearchParams({ state: "x" }))).status).toBe(404);
    expect((await new Browser().post(`/federation/${id}/start`, {})).status).toBe(404);
  });

  it("the callback's CSRF exemption covers provider callbacks only, not other /login/ pages", async () => {
    const response = await new Browser().fetch("/login/link/callback", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: "token=x",
    });
    expect(response.status).toBe(403);
  });

  it("accepts Apple-style form_post callbacks without our CSRF token, still checking state", async () => {
    const browser = new Browser();
    const parameters = upstream.consent(await startLogin(browser, providerId), { sub: subject(), email: uniqueEmail(), email_verified: true });
    const response = await browser.fetch(`/login/${providerId}/callback`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: upstream.issuer },
      body: parameters,
    });
    expect(response.status).toBe(303);
    const replay = await browser.fetch(`/login/${providerId}/callback`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: upstream.issuer },
      body: parameters,
    });
    expect(replay.status).toBe(400);
  });
});

describe("ID token validation and upstream errors", () => {
  const cases: [string, Parameters<typeof Object.assign>[1]][] = [
    ["a wrong iss", { idToken: { iss: "https://evil.example" } }],
    ["a wrong aud", { idToken: { aud: "someone-else" } }],
    ["a wrong nonce", { idToken: { nonce: "not-the-nonce" } }],
    ["no iat", { idToken: { iat: undefined } }],
    ["an expired token", { idToken: { exp: Math.floor(Date.now() / 1000) - 3600 } }],
    ["alg none", { algNone: true }],
    ["a bad signature", { foreignKey: true }],
  ];
  it.each(cases)("rejects an ID token with %s: no login, no account", async (_label, misbehaviour) => {
    upstream.misbehave = misbehaviour;
    const browser = new Browser();
    const email = uniqueEmail();
    const response = await federatedLogin(browser, upstream, providerId, { sub: subject(), email, email_verified: true });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("could not verify");
    expect(await accountEmail(browser)).toBeNull();
    expect(await userByEmail(email)).toBeNull();
  });

  it("denied consent is a friendly page", async () => {
    const browser = new Browser();
    const url = new URL(await startLogin(browser, providerId));
    const response = await callback(
      browser,
      providerId,
      new URLSearchParams({ error: "access_denied", state: url.searchParams.get("state") ?? "", iss: upstream.issuer }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("cancelled");
  });

  it("an upstream 5xx is a friendly 502, not a 500", async () => {
    upstream.misbehave = { tokenStatus: 503 };
    const response = await federatedLogin(new Browser(), upstream, providerId, { sub: subject(), email: uniqueEmail(), email_verified: true });
    expect(response.status).toBe(502);
    expect(await response.text()).toContain("did not answer in time");
  });

  it("discovery down when starting is a friendly 502", async () => {
    // Discovery is cached per isolate (test/i6/upstream-cache.test.ts): an outage shows once the cache is cold.
    clearUpstreamMetadataCache();
    upstream.misbehave = { discoveryDown: true };
    const response = await new Browser().post(`/federation/${providerId}/start`, {});
    expect(response.status).toBe(502);
  });

  it("a hanging upstream times out into a friendly 502", { timeout: 30_000 }, async () => {
    upstream.misbehave = { hang: true };
    const started = Date.now();
    const response = await federatedLogin(new Browser(), upstream, providerId, { sub: subject(), email: uniqueEmail(), email_verified: true });
    expect(response.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

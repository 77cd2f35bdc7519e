import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { Browser } from "../helpers/http";
import { b64url, SoftAuthenticator } from "./authenticator";
import { auditTypes, passkeyLogin, postJson, type RequestAnswer, signUpWithPasskey } from "./flows";

/**
 * A fresh account with one passkey per test: refused assertions count in the account's guard (backoff
 * after five), so tests sharing one account would throttle each other.
 */
let account: { email: string; userId: string };
let authenticator: SoftAuthenticator;

beforeEach(async () => {
  authenticator = new SoftAuthenticator();
  account = await signUpWithPasskey(new Browser(), authenticator);
});

async function sessionCookie(browser: Browser): Promise<boolean> {
  return (await browser.get("/account")).status === 200;
}

describe("passkey login (discoverable credentials)", () => {
  it("logs in with user verification, records the use, and marks the session phishing-resistant", async () => {
    const browser = new Browser();
    const { options, status, body } = await passkeyLogin(browser, authenticator);
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(status).toBe(200);
    expect(body).toEqual({ redirect: "/account" });
    expect(await sessionCookie(browser)).toBe(true);
    const row = await env.DB.prepare("SELECT sign_count, last_used_at FROM webauthn_credentials WHERE id = ?")
      .bind(authenticator.id)
      .first<{ sign_count: number; last_used_at: number }>();
    expect(row?.sign_count).toBe(authenticator.counter);
    expect(row?.last_used_at).toBeGreaterThan(Date.now() - 60_000);
    const login = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login' ORDER BY occurred_at DESC")
      .bind(account.userId)
      .first<{ details: string }>();
    expect(JSON.parse(login?.details ?? "{}")).toMatchObject({ method: "passkey", acr: "urn:gatehouse:loa:3" });
  });

  it("follows a same-site return_to and ignores an off-site one", async () => {
    const browser = new Browser();
    const started = await postJson<RequestAnswer>(browser, "/login/passkey/options");
    const assertion = await authenticator.get(started.body.options);
    const finished = await postJson(browser, "/login/passkey", { credential: JSON.stringify(assertion), return_to: "//evil.example/" });
    expect(finished.body).toEqual({ redirect: "/account" });
  });

  it("rejects a replayed assertion (its challenge is used up)", async () => {
    const browser = new Browser();
    const first = await passkeyLogin(browser, authenticator);
    expect(first.status).toBe(200);
    const replay = await postJson(new Browser(), "/login/passkey", { credential: JSON.stringify(first.assertion) });
    expect(replay.status).toBe(400);
  });

  it("rejects a stale challenge (older than five minutes)", async () => {
    const browser = new Browser();
    const started = await postJson<RequestAnswer>(browser, "/login/passkey/options");
    await env.DB.prepare("UPDATE webauthn_challenges SET expires_at = ? WHERE challenge = ?")
      .bind(Date.now() - 1, started.body.options.challenge)
      .run();
    const assertion = await authenticator.get(started.body.options);
    expect((await postJson(browser, "/login/passkey", { credential: JSON.stringify(assertion) })).status).toBe(400);
    expect(await sessionCookie(browser)).toBe(false);
  });

  it("rejects a challenge it never issued, and one issued for another ceremony", async () => {
    const browser = new Browser();
    const started = await postJson<RequestAnswer>(browser, "/login/passkey/options");
    const invented = await authenticator.get(started.body.options, {
      challenge: b64url(crypto.getRandomValues(new Uint8Array(32))),
    });
    expect((await postJson(browser, "/login/passkey", { credential: JSON.stringify(invented) })).status).toBe(400);
    // A sign-up ceremony's challenge is not a login challenge.
    const signup = await postJson<RequestAnswer>(browser, "/signup/passkey/options", { token: "x".repeat(43) });
    expect(signup.status).toBe(400);
  });

  it("rejects an assertion made for another origin (phishing site relaying the ceremony)", async () => {
    const browser = new Browser();
    const result = await passkeyLogin(browser, authenticator, { origin: "https://gatehouse-login.evil.example" });
    expect(result.status).toBe(400);
    expect(await sessionCookie(browser)).toBe(false);
  });

  it("rejects an assertion scoped to another RP ID (wrong rpIdHash)", async () => {
    const result = await passkeyLogin(new Browser(), authenticator, { rpId: "evil.example" });
    expect(result.status).toBe(400);
  });

  it("rejects an assertion without user verification (required for passwordless login)", async () => {
    const result = await passkeyLogin(new Browser(), authenticator, { userVerified: false });
    expect(result.status).toBe(400);
  });

  it("rejects an assertion without user presence, and a create-type clientDataJSON", async () => {
    expect((await passkeyLogin(new Browser(), authenticator, { userPresent: false })).status).toBe(400);
    expect((await passkeyLogin(new Browser(), authenticator, { type: "webauthn.create" })).status).toBe(400);
  });

  it("rejects a user handle that names another account", async () => {
    const other = await signUpWithPasskey(new Browser(), new SoftAuthenticator());
    const result = await passkeyLogin(new Browser(), authenticator, { userHandle: b64url(other.userId) });
    expect(result.status).toBe(400);
  });

  it("rejects a signature from a key that is not the registered one", async () => {
    // Same credential ID as the real passkey, its own private key.
    const impostor = new SoftAuthenticator();
    Object.defineProperty(impostor, "credentialId", { value: authenticator.credentialId });
    await impostor.create({ rp: { id: "localhost", name: "x" }, user: { id: "x", name: "x", displayName: "x" }, challenge: "x", pubKeyCredParams: [] });
    const started = await postJson<RequestAnswer>(new Browser(), "/login/passkey/options");
    const forged = await impostor.get(started.body.options, { userHandle: b64url(account.userId) });
    expect((await postJson(new Browser(), "/login/passkey", { credential: JSON.stringify(forged) })).status).toBe(400);
  });

  it("rejects a passkey whose backup eligibility flipped since registration", async () => {
    const result = await passkeyLogin(new Browser(), authenticator, { backupEligible: true });
    expect(result.status).toBe(400);
  });

  it("rejects inconsistent backup flags (backed up but not backup-eligible)", async () => {
    const result = await passkeyLogin(new Browser(), authenticator, { backupState: true });
    expect(result.status).toBe(400);
  });

  it("refuses a counter that went backwards, keeps a warning on the passkey and audits a risk signal", async () => {
    const own = new SoftAuthenticator();
    const { userId } = await signUpWithPasskey(new Browser(), own);
    expect((await passkeyLogin(new Browser(), own)).status).toBe(200);
    expect((await passkeyLogin(new Browser(), own)).status).toBe(200);
    // A clone still at an older count signs correctly, but its counter is not above the stored one.
    const clone = await passkeyLogin(new Browser(), own, { counter: 1 });
    expect(clone.status).toBe(400);
    const row = await env.DB.prepare("SELECT sign_count, counter_regressed_at FROM webauthn_credentials WHERE id = ?")
      .bind(own.id)
      .first<{ sign_count: number; counter_regressed_at: number | null }>();
    expect(row?.sign_count).toBe(2);
    expect(row?.counter_regressed_at).toBeGreaterThan(0);
    expect(await auditTypes(userId)).toContain("passkey.counter_regressed");
    // The owner sees the warning on the passkeys page.
    const browser = new Browser();
    expect((await passkeyLogin(browser, own)).status).toBe(200);
    expect(await (await browser.get("/account/passkeys")).text()).toContain("may have been copied");
  });

  it("accepts authenticators that keep no counter (always 0), as synced passkeys do", async () => {
    const synced = new SoftAuthenticator({ counterStep: 0, backupEligible: true });
    await signUpWithPasskey(new Browser(), synced);
    expect((await passkeyLogin(new Browser(), synced)).status).toBe(200);
    expect((await passkeyLogin(new Browser(), synced)).status).toBe(200);
    const row = await env.DB.prepare("SELECT device_type, backed_up FROM webauthn_credentials WHERE id = ?").bind(synced.id).first();
    expect(row).toEqual({ device_type: "multiDevice", backed_up: 1 });
  });

  it("counts failed assertions in the user's guard and backs off", async () => {
    const own = new SoftAuthenticator();
    const { userId } = await signUpWithPasskey(new Browser(), own);
    const statuses: number[] = [];
    // Until the backoff answers (on a slow machine a 1 s wait can pass between two attempts, so no fixed count).
    for (let i = 0; i < 12 && !statuses.includes(429); i++) statuses.push((await passkeyLogin(new Browser(), own, { origin: "https://evil.example" })).status);
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses).toContain(429);
    // Even the real passkey waits now.
    expect((await passkeyLogin(new Browser(), own)).status).toBe(429);
    expect((await auditTypes(userId)).filter((type) => type === "mfa.failed").length).toBeGreaterThanOrEqual(5);
  });

  it("rejects malformed credentials without touching anything", async () => {
    const browser = new Browser();
    for (const credential of ["", "null", "[]", "{}", '{"type":"public-key","id":"a","rawId":"b","response":{}}', "x".repeat(20_000)]) {
      expect((await postJson(browser, "/login/passkey", { credential })).status).toBe(400);
    }
  });

  it("needs the CSRF token like every form", async () => {
    const browser = new Browser();
    expect((await browser.post("/login/passkey/options", {}, { csrf: null })).status).toBe(403);
    expect((await browser.post("/login/passkey/options", {}, { origin: "https://evil.example" })).status).toBe(403);
  });
});

describe("login page", () => {
  it("offers passkeys in the email field (autofill) and a passkey button", async () => {
    const html = await (await new Browser().get("/login")).text();
    expect(html).toContain('autocomplete="username webauthn"');
    expect(html).toContain('data-passkey="get"');
    expect(html).toContain("data-autofill");
  });
});

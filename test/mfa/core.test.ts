import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, admin } from "../admin/helpers";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "../helpers/accounts";
import { createTestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { authorizeUrl, follow, idTokenClaims } from "../helpers/oidc";
import { linkIn, waitForMail } from "../helpers/outbox";

describe("second step of a login", () => {
  it("logs a password user in at once when the app's policy is off, with amr pwd and the single-factor acr", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const client = await createTestClient({ mfa_policy: "off" });
    const { url, verifier } = await authorizeUrl(client);
    const toLogin = await follow(browser, await browser.get(url));
    expect(toLogin.status).toBe(200);
    const returnTo = new URL(`http://x${(await browser.get(url)).headers.get("location")}`).searchParams.get("return_to") ?? "";
    const landed = await follow(browser, await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo }));
    const code = new URL(landed.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const claims = await idTokenClaims(client, code, verifier);
    expect(claims).toMatchObject({ amr: ["pwd"], acr: "urn:gatehouse:loa:1" });
  });

  it("holds a password login of an app that requires MFA at the second step: no session, pending cookie, back to the factor", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const client = await createTestClient({ mfa_policy: "required" });
    const { url } = await authorizeUrl(client);
    const returnTo = new URL(`http://x${(await browser.get(url)).headers.get("location")}`).searchParams.get("return_to") ?? "";
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/login/mfa");
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
    expect(browser.cookies.get("__Host-gh_mfa")).toBeTruthy();
    // Skipping ahead: the account page and the authorization request send the browser back to the factor.
    expect((await browser.get("/account")).headers.get("location")).toMatch(/^\/login/);
    expect((await browser.get("/login")).headers.get("location")).toBe("/login/mfa");
    const auth = await browser.get(url);
    expect(auth.headers.get("location")).toMatch(/^\/login\?/);
    const step = await browser.get("/login/mfa");
    expect(step.status).toBe(200);
    const html = await step.text();
    expect(html).toContain("Confirm it&#39;s you");
    // The verified email is always a usable second factor.
    expect(html).toContain('action="/login/mfa/email/send"');
  });

  it("refuses an edited or foreign pending cookie", async () => {
    const browser = new Browser();
    browser.cookies.set("__Host-gh_mfa", "AAAA-not-a-sealed-login");
    expect((await browser.get("/login/mfa")).headers.get("location")).toBe("/login?notice=mfa_expired");
  });

  it("cancelling clears the pending login", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const client = await createTestClient({ mfa_policy: "required" });
    const { url } = await authorizeUrl(client);
    const returnTo = new URL(`http://x${(await browser.get(url)).headers.get("location")}`).searchParams.get("return_to") ?? "";
    await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    expect(browser.cookies.has("__Host-gh_mfa")).toBe(true);
    const cancel = await browser.post("/login/mfa/cancel", {});
    expect(cancel.headers.get("location")).toBe("/login");
    expect(browser.cookies.has("__Host-gh_mfa")).toBe(false);
  });

  it("steps up an existing single-factor session when the app asks for acr_values loa:2, and prompt=none answers interaction_required", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const client = await createTestClient({ mfa_policy: "off" });
    const { url } = await authorizeUrl(client, { acr_values: "urn:gatehouse:loa:2" });
    const stepUp = await browser.get(url);
    expect(stepUp.headers.get("location")).toBe("/login/mfa?step_up=1");
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
    const page = await browser.get("/login/mfa?step_up=1");
    expect(await page.text()).toContain("asks for a stronger login");
    const silent = await authorizeUrl(client, { acr_values: "urn:gatehouse:loa:2", prompt: "none" });
    const answer = new URL((await browser.get(silent.url)).headers.get("location") ?? "");
    expect(answer.searchParams.get("error")).toBe("interaction_required");
  });

  it("a password reset never bypasses the second factor: it starts no session, and the next login asks for the factor", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const user = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>()) as { id: string };
    await env.DB.prepare("INSERT INTO totp_factors (user_id, encrypted_secret, confirmed_at, created_at) VALUES (?, 'x', ?, ?)")
      .bind(user.id, Date.now(), Date.now())
      .run();
    expect((await browser.post("/forgot", { email })).status).toBe(200);
    const [mail] = await waitForMail(email, 2);
    const token = new URL(linkIn(mail as NonNullable<typeof mail>, "/reset"), "http://x").searchParams.get("token") ?? "";
    const reset = await browser.post("/reset", { token, new_password: "lantern orchard velvet 77" });
    expect(reset.status).toBe(200);
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
    // An enrolled authenticator app under the default (optional) policy: the new password is only the first step.
    const login = await browser.post("/login", { email, password: "lantern orchard velvet 77" });
    expect(login.headers.get("location")).toBe("/login/mfa");
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("asks a user with no enrolled factor nothing under the default optional policy", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect(login.headers.get("location")).toBe("/account");
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
  });
});

describe("the account page's security section", () => {
  it("shows each factor and lets the user prefer only a factor they have", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const html = await (await browser.get("/account")).text();
    for (const href of ["/account/passkeys", "/account/totp", "/account/recovery-codes", "/account/phone", "/account/push"])
      expect(html).toContain(`href="${href}"`);
    expect((await browser.post("/account/security/preferred", { factor: "totp" })).status).toBe(400);
    const user = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>()) as { id: string };
    await env.DB.prepare("INSERT INTO totp_factors (user_id, encrypted_secret, confirmed_at, created_at) VALUES (?, 'x', ?, ?)")
      .bind(user.id, Date.now(), Date.now())
      .run();
    const saved = await browser.post("/account/security/preferred", { factor: "totp" });
    expect(saved.status).toBe(303);
    const row = await env.DB.prepare("SELECT preferred_factor FROM users WHERE id = ?").bind(user.id).first<{ preferred_factor: string }>();
    expect(row?.preferred_factor).toBe("totp");
  });
});

describe("admin MFA policy and factors", () => {
  it("reads and sets the global policy, refusing unknown values", async () => {
    expect(await (await admin("/admin/v1/settings/mfa")).json()).toEqual({ policy: "optional" });
    const bad = await admin("/admin/v1/settings/mfa", { method: "PUT", json: { policy: "sometimes" } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const set = await admin("/admin/v1/settings/mfa", { method: "PUT", json: { policy: "adaptive" } });
    expect(await set.json()).toEqual({ policy: "adaptive" });
    try {
      // Adaptive: the risk engine decides. The account's first login has no history to differ from; after
      // it, a device the account never logged in from must pass a second step, and the known one does not.
      const browser = new Browser();
      const email = await createVerifiedAccount(browser);
      const first = await browser.post("/login", { email, password: GOOD_PASSWORD });
      expect(first.headers.get("location")).toBe("/account");
      const elsewhere = await new Browser().post("/login", { email, password: GOOD_PASSWORD });
      expect(elsewhere.headers.get("location")).toBe("/login/mfa");
      const again = await browser.post("/login", { email, password: GOOD_PASSWORD });
      expect(again.headers.get("location")).toBe("/account");
    } finally {
      await admin("/admin/v1/settings/mfa", { method: "PUT", json: { policy: "optional" } });
    }
    const audit = (await (await admin("/admin/v1/audit-events?type=admin.settings_updated")).json()) as { events: unknown[] };
    expect(audit.events.length).toBeGreaterThan(0);
  });

  it("lists factors, removes one and resets all, telling the owner", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const user = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>()) as { id: string };
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO totp_factors (user_id, encrypted_secret, confirmed_at, created_at) VALUES (?, 'x', ?, ?)").bind(user.id, now, now),
      env.DB.prepare("INSERT INTO recovery_codes (code_hash, user_id, created_at) VALUES (?, ?, ?)").bind(`h-${user.id}`, user.id, now),
    ]);
    const list = (await (await admin(`/admin/v1/users/${user.id}/factors`)).json()) as { factors: { id: string }[] };
    expect(list.factors.map((factor) => factor.id).sort()).toEqual(["recovery_codes", "totp"]);
    expect((await admin(`/admin/v1/users/${user.id}/factors/totp`, { method: "DELETE" })).status).toBe(204);
    expect((await admin(`/admin/v1/users/${user.id}/factors/totp`, { method: "DELETE" })).status).toBe(404);
    expect((await admin(`/admin/v1/users/${user.id}/mfa/reset`, { method: "POST" })).status).toBe(204);
    const after = (await (await admin(`/admin/v1/users/${user.id}/factors`)).json()) as { factors: unknown[] };
    expect(after.factors).toEqual([]);
    expect((await admin("/admin/v1/users/nobody/mfa/reset", { method: "POST" })).status).toBe(404);
    expect((await admin(`/admin/v1/users/${user.id}/factors`, { token: `${ADMIN_TOKEN}x` })).status).toBe(401);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { SoftAuthenticator } from "./authenticator";
import { addPasskey, auditTypes, postJson, type RequestAnswer, signUpWithPasskey } from "./flows";

/** A password account with one passkey; the default policy ("optional") then asks for it after the password. */
async function passwordUserWithPasskey(): Promise<{ email: string; userId: string; authenticator: SoftAuthenticator }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  await logIn(browser, email);
  const authenticator = new SoftAuthenticator();
  const added = await addPasskey(browser, authenticator);
  if (added.status !== 200) throw new Error(`adding a passkey failed: ${added.status}`);
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  return { email, userId: row?.id ?? "", authenticator };
}

/** Password step: the browser is held at the second step (`__Host-gh_mfa`), without a session. */
async function passwordStep(email: string): Promise<Browser> {
  const browser = new Browser();
  const response = await browser.post("/login", { email, password: "maple tortoise umbrella 42" });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/login/mfa");
  expect(browser.cookies.has("__Host-gh_mfa")).toBe(true);
  return browser;
}

describe("passkey as a second factor after a password", () => {
  it("completes the login with the user's passkey; the session carries pwd + passkey + mfa", async () => {
    const { email, userId, authenticator } = await passwordUserWithPasskey();
    const browser = await passwordStep(email);
    // No session yet: the account is out of reach until the second factor.
    expect((await browser.get("/account")).status).toBe(303);
    const started = await postJson<RequestAnswer>(browser, "/login/mfa/passkey/options");
    expect(started.status).toBe(200);
    expect(started.body.options.allowCredentials?.map((credential) => credential.id)).toEqual([authenticator.id]);
    const assertion = await authenticator.get(started.body.options);
    const finished = await postJson(browser, "/login/mfa/passkey", { credential: JSON.stringify(assertion) });
    expect(finished).toEqual({ status: 200, body: { redirect: "/account" } });
    expect((await browser.get("/account")).status).toBe(200);
    expect(browser.cookies.has("__Host-gh_mfa")).toBe(false);
    const login = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login' ORDER BY occurred_at DESC")
      .bind(userId)
      .first<{ details: string }>();
    const details = JSON.parse(login?.details ?? "{}");
    expect(details.method).toBe("password+passkey");
    expect(details.amr).toEqual(expect.arrayContaining(["pwd", "hwk", "mfa"]));
    expect(await auditTypes(userId)).toContain("mfa.completed");

    // The same assertion again (replay), even with the pending login of a new password step: refused.
    const again = await passwordStep(email);
    expect((await postJson(again, "/login/mfa/passkey", { credential: JSON.stringify(assertion) })).status).toBe(400);
  });

  it("accepts a security key without user verification as a second factor, without claiming 'user'", async () => {
    const { email, userId, authenticator } = await passwordUserWithPasskey();
    const browser = await passwordStep(email);
    const started = await postJson<RequestAnswer>(browser, "/login/mfa/passkey/options");
    expect(started.body.options.userVerification).toBe("preferred");
    const assertion = await authenticator.get(started.body.options, { userVerified: false });
    expect((await postJson(browser, "/login/mfa/passkey", { credential: JSON.stringify(assertion) })).status).toBe(200);
    const login = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login' ORDER BY occurred_at DESC")
      .bind(userId)
      .first<{ details: string }>();
    const amr: string[] = JSON.parse(login?.details ?? "{}").amr;
    expect(amr).toEqual(expect.arrayContaining(["pwd", "hwk", "mfa"]));
    expect(amr).not.toContain("user");
  });

  it("rejects another user's passkey, even with a valid signature over this login's challenge", async () => {
    const { email, userId } = await passwordUserWithPasskey();
    const stranger = new SoftAuthenticator();
    await signUpWithPasskey(new Browser(), stranger);
    const browser = await passwordStep(email);
    const started = await postJson<RequestAnswer>(browser, "/login/mfa/passkey/options");
    const assertion = await stranger.get(started.body.options);
    expect((await postJson(browser, "/login/mfa/passkey", { credential: JSON.stringify(assertion) })).status).toBe(400);
    expect((await browser.get("/account")).status).toBe(303);
    expect(await auditTypes(userId)).toContain("mfa.failed");
  });

  it("binds the challenge to its pending login: another login's challenge is refused", async () => {
    const { email, authenticator } = await passwordUserWithPasskey();
    const first = await passwordStep(email);
    const second = await passwordStep(email);
    const started = await postJson<RequestAnswer>(first, "/login/mfa/passkey/options");
    const assertion = await authenticator.get(started.body.options);
    expect((await postJson(second, "/login/mfa/passkey", { credential: JSON.stringify(assertion) })).status).toBe(400);
    // …and the challenge is used up by that attempt.
    expect((await postJson(first, "/login/mfa/passkey", { credential: JSON.stringify(assertion) })).status).toBe(400);
  });

  it("rejects wrong origin and wrong RP ID at the second step too", async () => {
    const { email, authenticator } = await passwordUserWithPasskey();
    for (const bend of [{ origin: "https://evil.example" }, { rpId: "evil.example" }]) {
      const browser = await passwordStep(email);
      const started = await postJson<RequestAnswer>(browser, "/login/mfa/passkey/options");
      const assertion = await authenticator.get(started.body.options, bend);
      expect((await postJson(browser, "/login/mfa/passkey", { credential: JSON.stringify(assertion) })).status).toBe(400);
    }
  });

  it("cannot be reached without a pending login (no skipping to later endpoints)", async () => {
    const browser = new Browser();
    const options = await postJson(browser, "/login/mfa/passkey/options");
    expect(options).toEqual({ status: 401, body: { redirect: "/login?notice=mfa_expired" } });
    expect((await postJson(browser, "/login/mfa/passkey", { credential: "{}" })).status).toBe(401);
  });

  it("counts failures in the user's guard: after five, even a valid passkey must wait", async () => {
    const { email, authenticator } = await passwordUserWithPasskey();
    const browser = await passwordStep(email);
    for (let i = 0; i < 6; i++) await postJson(browser, "/login/mfa/passkey", { credential: "garbage" });
    const started = await postJson<RequestAnswer>(browser, "/login/mfa/passkey/options");
    const assertion = await authenticator.get(started.body.options);
    const finished = await postJson(browser, "/login/mfa/passkey", { credential: JSON.stringify(assertion) });
    expect(finished.status).toBe(429);
  });
});

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { createTestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { pausedAuthorization } from "../helpers/oidc";
import { totpCode } from "../helpers/totp";

export { totpCode };

/** Waits until at least 3 s remain in the current 30-second step, so a code made now is checked in the same step. */
export async function awayFromStepEdge(): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 3000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

export async function userIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** Starts the set-up on /account/totp and reads the typed key off the page (as a person would). */
export async function startTotp(browser: Browser): Promise<{ secret: string; html: string }> {
  const setup = await browser.post("/account/totp/setup", {});
  expect(setup.status).toBe(200);
  const html = await setup.text();
  const grouped = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(html)?.[1];
  if (!grouped) throw new Error("no secret on the set-up page");
  return { secret: grouped.replace(/ /g, ""), html };
}

/** A verified, logged-in account with a confirmed authenticator app; returns its secret and first recovery codes. */
export async function accountWithTotp(): Promise<{ browser: Browser; email: string; secret: string; recoveryCodes: string[] }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  const login = await browser.post("/login", { email, password: GOOD_PASSWORD });
  expect(login.headers.get("location")).toBe("/account");
  const { secret } = await startTotp(browser);
  await awayFromStepEdge();
  const confirm = await browser.post("/account/totp/confirm", { code: totpCode(secret) });
  expect(confirm.status).toBe(200);
  const recoveryCodes = [...(await confirm.text()).matchAll(/<li><code>([A-Z2-7-]{19})<\/code><\/li>/g)].map((match) => match[1] ?? "");
  expect(recoveryCodes).toHaveLength(10);
  return { browser, email, secret, recoveryCodes };
}

/** A fresh browser that passed the password and now waits at the second step. */
export async function passwordStep(email: string, returnTo?: string): Promise<Browser> {
  const browser = new Browser();
  const login = await browser.post("/login", { email, password: GOOD_PASSWORD, ...(returnTo ? { return_to: returnTo } : {}) });
  expect(login.headers.get("location")).toBe("/login/mfa");
  return browser;
}

/** The `return_to` of a paused authorization request of an app whose policy requires a second factor. */
export async function requiredMfaReturnTo(browser: Browser): Promise<string> {
  const client = await createTestClient({ mfa_policy: "required" });
  return (await pausedAuthorization(browser, client)).returnTo;
}

/** The `mfa.failed` audit events of an account, newest first. */
export async function failureEvents(userId: string): Promise<{ failures: number; factor: string }[]> {
  const rows = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'mfa.failed' ORDER BY occurred_at DESC")
    .bind(userId)
    .all<{ details: string }>();
  return rows.results.map((row) => JSON.parse(row.details));
}

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Browser } from "../helpers/http";
import { type Mail, waitForMail } from "../helpers/outbox";

export interface UserFacts {
  id: string;
  email_verified: number;
  password_hash: string | null;
  phone: string | null;
  phone_verified: number;
  name: string | null;
}

/** The accounts with this address (0 or 1: the address is unique). */
export async function usersWith(email: string): Promise<UserFacts[]> {
  const rows = await env.DB.prepare("SELECT id, email_verified, password_hash, phone, phone_verified, name FROM users WHERE email = ?")
    .bind(email)
    .all<UserFacts>();
  return rows.results;
}

export async function requestRows(email: string) {
  const rows = await env.DB.prepare(
    "SELECT method, code_hash, token_hash, browser_hash, attempts, consumed_at, phone_verified_at FROM signup_requests WHERE email = ? ORDER BY created_at DESC",
  )
    .bind(email)
    .all<{
      method: string;
      code_hash: string;
      token_hash: string | null;
      browser_hash: string;
      attempts: number;
      consumed_at: number | null;
      phone_verified_at: number | null;
    }>();
  return rows.results;
}

/** The newest mail to `to` with this subject (waits for it: mails are sent after the response). */
export async function mailWithSubject(to: string, subject: string | RegExp, count = 1): Promise<Mail> {
  const mails = await waitForMail(to, count);
  const mail = mails.find((message) => (typeof subject === "string" ? message.subject === subject : subject.test(message.subject ?? "")));
  if (!mail) throw new Error(`no mail "${subject}" to ${to}: ${mails.map((m) => m.subject).join(", ")}`);
  return mail;
}

export function codeOf(mail: Mail): string {
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in: ${mail.text}`);
  return code;
}

export function signupLinkOf(mail: Mail): { path: string; token: string; code: string } {
  const path = /http:\/\/localhost:8787(\/signup\/link\/[A-Za-z0-9_-]{43})\b/.exec(mail.text)?.[1];
  const code = /where you signed up: (\d{6})/.exec(mail.text)?.[1];
  if (!path || !code) throw new Error(`no sign-up link in: ${mail.text}`);
  return { path, token: path.split("/").pop() ?? "", code };
}

/** A page with its per-request parts (nonces, CSRF token) blanked, for "the same answer" comparisons. */
export function samePage(html: string): string {
  return html.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/value="[A-Za-z0-9_-]{43}"/g, 'value=""');
}

/** The names of the cookies a response set (their values are random per request). */
export function cookieNames(response: Response): string[] {
  return response.headers
    .getSetCookie()
    .map((line) => line.split("=")[0] ?? "")
    .sort();
}

export async function expectLoggedIn(browser: Browser, response: Response, location = "/account"): Promise<void> {
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe(location);
  expect(browser.cookies.has("__Host-gh_session")).toBe(true);
}

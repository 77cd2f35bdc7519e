import { env } from "cloudflare:workers";
import { sha256Hex } from "../../src/lib/hashing";
import { GOOD_PASSWORD } from "../helpers/accounts";
import { type Browser, ORIGIN } from "../helpers/http";
import { type Mail, mailTo, waitForMail } from "../helpers/outbox";

export const FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
export const LYON = { country: "FR", city: "Lyon", latitude: "45.76", longitude: "4.84", asn: 3215, timezone: "Europe/Paris" };
/** The edge's bot score 5: "automated" (70 points), which with a new device passes the deny threshold. */
export const BOT = { country: "US", city: "Ashburn", latitude: "39.04", longitude: "-77.49", asn: 64500, botManagement: { score: 5 } };

/** Posts a form like `Browser.post`, from a given place (`request.cf`) and browser (User-Agent). */
export async function postFrom(
  browser: Browser,
  path: string,
  fields: Record<string, string>,
  from: { cf?: Record<string, unknown>; userAgent?: string } = {},
): Promise<Response> {
  if (!browser.cookies.has("__Host-gh_csrf")) await browser.get("/login");
  const body = new URLSearchParams({ csrf_token: browser.cookies.get("__Host-gh_csrf") ?? "", ...fields });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN };
  if (from.userAgent) headers["user-agent"] = from.userAgent;
  return browser.fetch(path, { method: "POST", headers, body, ...(from.cf ? { cf: from.cf } : {}) } as RequestInit);
}

export function logInFrom(browser: Browser, email: string, from: { cf?: Record<string, unknown>; userAgent?: string } = {}): Promise<Response> {
  return postFrom(browser, "/login", { email, password: GOOD_PASSWORD }, from);
}

export async function userIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** Waits for the owner's next mail after `before` messages, newest first. */
export async function nextMail(email: string, before: number): Promise<Mail> {
  const mails = await waitForMail(email, before + 1);
  return mails[0] as Mail;
}

/** Mail is sent after the response: give deferred work time to run, then count. */
export async function settledMailCount(email: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return (await mailTo(email)).length;
}

export function reportTokenIn(mail: Mail): string {
  const match = /http:\/\/localhost:8787\/risk\/report\?token=([A-Za-z0-9_-]{43})\b/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no report link in: ${mail.text}`);
  return match[1];
}

export interface RiskEventJson {
  id: string;
  decision: string;
  session_id: string | null;
  report_token_hash: string | null;
  report_expires_at: number | null;
  reported_at: number | null;
  created_at: number;
}

export async function eventByToken(token: string): Promise<RiskEventJson | null> {
  return env.DB.prepare("SELECT * FROM risk_events WHERE report_token_hash = ?")
    .bind(await sha256Hex(token))
    .first<RiskEventJson>();
}

export async function auditTypes(userId: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT type FROM audit_events WHERE user_id = ? ORDER BY occurred_at").bind(userId).all<{ type: string }>();
  return rows.results.map((row) => row.type);
}

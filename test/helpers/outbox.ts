import { env } from "cloudflare:workers";
import { openDatabase } from "../../src/storage/db";
import { outboxStore } from "../../src/storage/outbox-store";

export interface Mail {
  subject: string | null;
  text: string;
}

/** Waits for mail to `to` (messages are sent after the response, via waitUntil). Newest first. */
export async function waitForMail(to: string, count = 1, timeoutMs = 5000): Promise<Mail[]> {
  const started = Date.now();
  for (;;) {
    const rows = await outboxStore(openDatabase(env.DB)).list({ to, limit: 50 });
    if (rows.length >= count) return rows;
    if (Date.now() - started > timeoutMs) throw new Error(`expected ${count} message(s) to ${to}, found ${rows.length}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Mail to `to` right now, without waiting. */
export async function mailTo(to: string): Promise<Mail[]> {
  return outboxStore(openDatabase(env.DB)).list({ to, limit: 50 });
}

export function linkIn(mail: Mail, path: string): string {
  const match = new RegExp(`http://localhost:8787(${path}\\?token=[A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1];
}

export function codeIn(mail: Mail): string {
  const match = /\b(\d{6})\b/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in: ${mail.text}`);
  return match[1];
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

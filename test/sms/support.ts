import { env } from "cloudflare:workers";
import { loadConfig } from "../../src/config";
import { randomId } from "../../src/lib/random";
import { openPendingLogin } from "../../src/services/auth/pending-login";
import { openDatabase } from "../../src/storage/db";
import { outboxStore } from "../../src/storage/outbox-store";
import type { UserRow } from "../../src/storage/schema";
import { usersStore } from "../../src/storage/users-store";

/** A random German mobile number (+49 151 and 8 digits), so no two tests share per-number counters. */
export function randomMobile(): string {
  return `+49151${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

/** An active, verified account straight in D1, optionally with a phone number. */
export async function insertUser(options: { phone?: string; phoneVerified?: boolean; status?: "active" | "disabled" } = {}): Promise<UserRow> {
  const now = Date.now();
  const id = randomId();
  const user = {
    id,
    email: `sms-${id.slice(0, 8)}@example.com`,
    emailVerified: true,
    status: options.status ?? "active",
    createdAt: now,
    updatedAt: now,
    phone: options.phone ?? null,
    phoneVerified: options.phoneVerified ?? false,
  } as const;
  await usersStore(openDatabase(env.DB)).insertStatement(user).run();
  return (await usersStore(openDatabase(env.DB)).findById(id)) as UserRow;
}

export interface Text {
  id: string;
  channel: string;
  text: string;
}

/** Texts in the outbox to `to`, newest first. */
export async function textsTo(to: string): Promise<Text[]> {
  return (await outboxStore(openDatabase(env.DB)).list({ to, limit: 50 })).map((row) => ({ id: row.id, channel: row.channel, text: row.text }));
}

/** Waits for the `count`-th text to `to` (texts may be sent after the response, via waitUntil); returns the newest. */
export async function waitForText(to: string, count = 1, timeoutMs = 5000): Promise<Text> {
  const started = Date.now();
  for (;;) {
    const texts = await textsTo(to);
    if (texts.length >= count && texts[0]) return texts[0];
    if (Date.now() - started > timeoutMs) throw new Error(`expected ${count} text(s) to ${to}, found ${texts.length}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The 6-digit code in a text (its first line; the last line repeats it after `#`). */
export function codeInText(text: Text): string {
  const code = /\b(\d{6})\b/.exec(text.text)?.[1];
  if (!code) throw new Error(`no code in: ${text.text}`);
  return code;
}

/** A 6-digit code that is not `code`. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

/** The pending login's id from the browser's encrypted `__Host-gh_mfa` cookie (the second-step forms carry it). */
export async function pendingIdOf(browser: { cookies: Map<string, string> }): Promise<string> {
  const config = loadConfig(env as unknown as Record<string, unknown>);
  const pending = await openPendingLogin(config.keyEncryptionKey, browser.cookies.get("__Host-gh_mfa"), Date.now());
  if (!pending) throw new Error("no pending login in this browser");
  return pending.id;
}

/** The user row for an email address. */
export async function userByEmail(email: string): Promise<UserRow> {
  const user = await usersStore(openDatabase(env.DB)).findByEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  return user;
}

/** Gives the account a verified phone number straight in D1 (the verification flow has its own tests). */
export async function setVerifiedPhone(userId: string, phone: string): Promise<void> {
  await env.DB.prepare("UPDATE users SET phone = ?, phone_verified = 1 WHERE id = ?").bind(phone, userId).run();
}

import { randomBytes } from "node:crypto";
import { connectUrl } from "./http-client";

export interface OutboxMessage {
  id: string;
  channel: string;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  created_at: string;
}

/** Every message the development outbox holds for `to`, newest first. */
export async function messagesTo(to: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${connectUrl()}/dev/outbox.json?to=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`GET /dev/outbox.json answered ${response.status}`);
  return ((await response.json()) as { messages: OutboxMessage[] }).messages;
}

/**
 * Waits for a message to `to` that `match` accepts and that is not among `seen` (ids of messages read
 * before). Messages are sent after the response (`waitUntil`), so they may arrive a moment later.
 */
export async function waitForMessage(
  to: string,
  match: (message: OutboxMessage) => boolean,
  options: { seen?: Iterable<string>; timeoutMs?: number } = {},
): Promise<OutboxMessage> {
  const seen = new Set(options.seen ?? []);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const found = (await messagesTo(to)).find((message) => !seen.has(message.id) && match(message));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching message to ${to} arrived in the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Ids of the messages `to` has now, to tell later ones apart. */
export async function seenIds(to: string): Promise<string[]> {
  return (await messagesTo(to)).map((message) => message.id);
}

/** The first link in a message's text whose path is `path` (e.g. `/verify`). */
export function linkIn(message: OutboxMessage, path: string): string {
  const link = message.text.match(/https?:\/\/\S+/g)?.find((url) => new URL(url).pathname === path);
  if (!link) throw new Error(`no ${path} link in message "${message.subject}":\n${message.text}`);
  return link;
}

/** The 6-digit code in a message's text. */
export function codeIn(message: OutboxMessage): string {
  const code = /(?<![\d/=])\d{6}(?!\d)/.exec(message.text.replace(/https?:\/\/\S+/g, ""))?.[0];
  if (!code) throw new Error(`no 6-digit code in message "${message.subject}":\n${message.text}`);
  return code;
}

export const isVerification = (message: OutboxMessage): boolean => /\/verify\?token=/.test(message.text);
export const isReset = (message: OutboxMessage): boolean => /\/reset\?token=/.test(message.text);

/** A fresh address nobody has used in this run. */
export function newEmail(label: string): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.com`;
}

/** A fresh password that passes the policy (long, random, not common, not the address). */
export function newPassword(): string {
  return `Pass ${randomBytes(9).toString("base64url")} phrase`;
}

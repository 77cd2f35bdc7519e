import type { Locale, MessageKey } from "../ui/i18n";
import { translator } from "../ui/i18n";
import { defaultTheme } from "../ui/theme";
import type { OutgoingMessage } from "./messages/message-sender";

export type EmailTemplate =
  | "verify"
  | "exists"
  | "reset"
  | "changeEmail"
  | "emailChangedNotice"
  | "passwordChanged"
  | "factorAdded"
  | "factorRemoved"
  | "mfaReset"
  | "passkeySignup"
  // Templates of the login methods (magic link, one-time codes, …), keyed in their own catalogues.
  | `${string}Login`
  | `${string}Code`;

/**
 * A localized, themed email. Every link and code appears verbatim in `text`; the HTML part is the same
 * text, escaped, with links made clickable, in the brand's colours.
 */
export function composeEmail(template: EmailTemplate, to: string, locale: Locale, params: Record<string, string | number>): OutgoingMessage {
  const t = translator(locale);
  const all = { brand: defaultTheme.brandName, ...params };
  const subject = t(`email.${template}.subject` as MessageKey, all);
  const text = t(`email.${template}.text` as MessageKey, all);
  return { channel: "email", to, subject, text, html: toHtml(text, subject) };
}

function toHtml(text: string, subject: string): string {
  const body = escapeHtml(text)
    .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}" style="color:${defaultTheme.primary}">${url}</a>`)
    .replace(/\n/g, "<br>");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:system-ui,sans-serif;color:${defaultTheme.text};background:${defaultTheme.background};padding:24px"><p style="font-weight:600;font-size:18px">${escapeHtml(defaultTheme.brandName)}</p><p>${body}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

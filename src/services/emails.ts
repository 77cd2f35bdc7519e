import type { Locale, MessageKey } from "../ui/i18n";
import { defaultTheme, type Theme } from "../ui/theme";
import { brandedTranslator } from "./branding/branded-translator";
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
  // Passwordless sign-up by email link (also the last step of SMS sign-up); its code template is `signupCode`.
  | "signupLink"
  // The risk engine's notices to the owner (services/risk/report-link.ts).
  | "riskDenied"
  | "riskSuspicious"
  | "riskNewDevice"
  // Templates of the login methods (magic link, one-time codes, …), keyed in their own catalogues.
  | `${string}Login`
  | `${string}Code`;

/**
 * A localized, themed email. Every link and code appears verbatim in `text`; the HTML part is the same
 * text, escaped, with links made clickable, in the brand's colours. `theme` is the branding of the app the
 * user came from (its name, colours, logo, font and custom text); the deployment's default without one.
 */
export function composeEmail(
  template: EmailTemplate,
  to: string,
  locale: Locale,
  params: Record<string, string | number>,
  theme: Theme = defaultTheme,
): OutgoingMessage {
  const t = brandedTranslator(locale, theme);
  const all = { brand: theme.brandName, ...params };
  const subject = t(`email.${template}.subject` as MessageKey, all);
  const text = t(`email.${template}.text` as MessageKey, all);
  return { channel: "email", to, subject, text, html: toHtml(text, subject, theme) };
}

function toHtml(text: string, subject: string, theme: Theme): string {
  const body = escapeHtml(text)
    .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}" style="color:${theme.primary}">${url}</a>`)
    .replace(/\n/g, "<br>");
  // Every theme value is validated (hex colours, allow-listed font stack, https logo); still escaped here.
  const font = escapeHtml(theme.fontFamily ?? "system-ui,sans-serif");
  const logo = theme.logoUrl ? `<img src="${escapeHtml(theme.logoUrl)}" alt="" style="max-height:40px"><br>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:${font};color:${theme.text};background:${theme.background};padding:24px"><p style="font-weight:600;font-size:18px;border-bottom:3px solid ${theme.primary};padding-bottom:8px">${logo}${escapeHtml(theme.brandName)}</p><p>${body}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

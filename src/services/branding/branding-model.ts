import type { Locale, MessageKey } from "../../ui/i18n";
import { en } from "../../ui/i18n/en";

/** The sign-up methods an app can show, in the order it chooses. */
export const SIGNUP_METHODS = ["password", "passkey", "email_code", "magic_link", "sms", "social"] as const;
export type SignupMethod = (typeof SIGNUP_METHODS)[number];

export const COLOR_NAMES = ["primary", "primary_text", "background", "surface", "text", "muted", "danger", "success"] as const;
export type ColorName = (typeof COLOR_NAMES)[number];

/**
 * A branding document as the admin API takes and returns it, and as it is stored. Every field is optional:
 * a client's document overrides the global one field by field (colours one by one), the global one
 * overrides the built-in theme.
 */
export interface BrandingDocument {
  name?: string;
  logo_url?: string;
  colors?: Partial<Record<ColorName, string>>;
  font_family?: string;
  /** Already sanitized (css-sanitizer.ts) when stored. */
  custom_css?: string;
  custom_text?: Partial<Record<Locale, Partial<Record<MessageKey, string>>>>;
  terms_url?: string;
  privacy_url?: string;
  signup_methods?: SignupMethod[];
}

/** `#rgb` or `#rrggbb`: nothing else reaches a CSS custom property. */
export const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/**
 * A font-family stack: comma-separated family names, each a bare name of letters, digits, spaces and
 * hyphens, or the same in double quotes. No url, no escapes, no semicolons or braces.
 */
export const FONT_STACK = /^\s*(?:"[A-Za-z0-9 -]{1,64}"|[A-Za-z][A-Za-z0-9 -]{0,63})(?:\s*,\s*(?:"[A-Za-z0-9 -]{1,64}"|[A-Za-z][A-Za-z0-9 -]{0,63}))*\s*$/;
export const MAX_FONT_STACK_LENGTH = 200;
export const MAX_CUSTOM_TEXT_LENGTH = 500;
export const MAX_NAME_LENGTH = 80;

/** Text shown to users: no angle brackets, no control characters except line breaks and tabs. */
export function isPlainText(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "<" || char === ">" || code === 0x7f || (code < 0x20 && char !== "\n" && char !== "\t" && char !== "\r")) return false;
  }
  return true;
}

/** An absolute https URL without credentials: logos, terms and privacy links. */
export function isHttpsUrl(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.username === "" && url.password === "" && url.hostname !== "";
  } catch {
    return false;
  }
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

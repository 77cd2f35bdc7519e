import { de } from "./de";
import { en, type MessageKey } from "./en";

export type { MessageKey };
export const SUPPORTED_LOCALES = ["en", "de"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, de };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A translator for one locale; `{name}` placeholders are filled from `params`. */
export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const template = catalogue[key];
    return params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : template;
  };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * The page language: `ui_locales` (OIDC, space-separated, first supported wins), then the user's
 * saved choice (cookie or profile), then `Accept-Language` by quality, then English.
 */
export function negotiateLocale(options: { uiLocales?: string | null; chosen?: string | null; acceptLanguage?: string | null }): Locale {
  for (const tag of (options.uiLocales ?? "").split(/\s+/)) {
    const locale = baseLanguage(tag);
    if (locale) return locale;
  }
  const chosen = baseLanguage(options.chosen ?? "");
  if (chosen) return chosen;
  const ranked = (options.acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const locale = baseLanguage(tag);
    if (locale) return locale;
  }
  return "en";
}

function baseLanguage(tag: string): Locale | null {
  const base = tag.trim().toLowerCase().split("-")[0];
  return isLocale(base) ? base : null;
}

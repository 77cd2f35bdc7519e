import { type Locale, type Translate, translator } from "../../ui/i18n";
import type { Theme } from "../../ui/theme";

/**
 * The locale's translator with the brand's custom text in front: an overridden key returns the operator's
 * text (placeholders filled the same way), every other key the catalogue's.
 */
export function brandedTranslator(locale: Locale, theme: Theme): Translate {
  const base = translator(locale);
  const overrides = theme.customText[locale];
  if (!overrides || Object.keys(overrides).length === 0) return base;
  return (key, params) => {
    const custom = Object.hasOwn(overrides, key) ? overrides[key] : undefined;
    if (custom === undefined) return base(key, params);
    return params ? custom.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : custom;
  };
}

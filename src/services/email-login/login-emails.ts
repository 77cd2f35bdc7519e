import type { Locale } from "../../ui/i18n";
import type { Theme } from "../../ui/theme";
import type { Deps } from "../deps";
import { composeEmail } from "../emails";

// `theme` is the branding of the app the login serves (RequestContext.theme); the default without one.

/** The code that logs in by email (first factor). */
export function loginCodeEmail(to: string, locale: Locale, code: string, lifetimeMs: number, theme?: Theme) {
  return composeEmail("loginCode", to, locale, { code, minutes: lifetimeMs / 60_000 }, theme);
}

/** The code that confirms a password login (second factor). */
export function secondFactorCodeEmail(to: string, locale: Locale, code: string, lifetimeMs: number, theme?: Theme) {
  return composeEmail("mfaCode", to, locale, { code, minutes: lifetimeMs / 60_000 }, theme);
}

/** The magic link (to a confirmation page: a GET never logs in) and its code, for the browser that asked, when opened elsewhere. */
export function magicLinkEmail(deps: Pick<Deps, "config">, to: string, locale: Locale, token: string, code: string, lifetimeMs: number, theme?: Theme) {
  return composeEmail("magicLinkLogin", to, locale, { link: `${deps.config.issuerUrl}/login/link/${token}`, code, minutes: lifetimeMs / 60_000 }, theme);
}

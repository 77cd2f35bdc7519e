import type { Locale } from "../../ui/i18n";
import type { Deps } from "../deps";
import { composeEmail } from "../emails";

/** The code that logs in by email (first factor). */
export function loginCodeEmail(to: string, locale: Locale, code: string, lifetimeMs: number) {
  return composeEmail("loginCode", to, locale, { code, minutes: lifetimeMs / 60_000 });
}

/** The code that confirms a password login (second factor). */
export function secondFactorCodeEmail(to: string, locale: Locale, code: string, lifetimeMs: number) {
  return composeEmail("mfaCode", to, locale, { code, minutes: lifetimeMs / 60_000 });
}

/** The magic link (to a confirmation page: a GET never logs in) and its code, for the browser that asked, when opened elsewhere. */
export function magicLinkEmail(deps: Pick<Deps, "config">, to: string, locale: Locale, token: string, code: string, lifetimeMs: number) {
  return composeEmail("magicLinkLogin", to, locale, { link: `${deps.config.issuerUrl}/login/link/${token}`, code, minutes: lifetimeMs / 60_000 });
}

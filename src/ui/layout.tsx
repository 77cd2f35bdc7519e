import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { CsrfField } from "./components";
import type { Locale, Translate } from "./i18n";
import { SUPPORTED_LOCALES } from "./i18n";
import { baseCss } from "./styles";
import { defaultTheme, type Theme, themeCss, themeOverridesCss } from "./theme";

export interface PageContext {
  t: Translate;
  locale: Locale;
  nonce: string;
  csrfToken: string;
  /** Path and query of this page, so the language switch comes back here. */
  currentPath: string;
  /** The branding of the app the visitor came from; the built-in theme when absent. */
  theme?: Theme;
}

/** The shell of every hosted page: theme, skip link, language switch, main landmark. */
export function Layout(props: { page: PageContext; title: string; children: Child; script?: string }) {
  const { t, locale, nonce } = props.page;
  const theme = props.page.theme ?? defaultTheme;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <title>{`${props.title} · ${theme.brandName}`}</title>
          <style nonce={nonce} dangerouslySetInnerHTML={{ __html: themeCss(theme) + baseCss + themeOverridesCss(theme) }} />
        </head>
        <body>
          <a class="skip" href="#main">
            {t("common.skipToContent")}
          </a>
          <header class="top">
            <a class="brand" href="/account">
              {theme.logoUrl ? <img src={theme.logoUrl} alt="" /> : null}
              {theme.brandName}
            </a>
            <form class="lang" method="post" action="/language" aria-label={t("common.language")}>
              <CsrfField token={props.page.csrfToken} />
              <input type="hidden" name="return_to" value={props.page.currentPath} />
              {SUPPORTED_LOCALES.map((code) => (
                <button type="submit" name="locale" value={code} aria-current={code === locale ? "true" : undefined} lang={code}>
                  {code.toUpperCase()}
                </button>
              ))}
            </form>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
          {theme.termsUrl || theme.privacyUrl ? (
            <footer class="legal">
              {theme.termsUrl ? <a href={theme.termsUrl}>{t("branding.terms")}</a> : null}
              {theme.privacyUrl ? <a href={theme.privacyUrl}>{t("branding.privacy")}</a> : null}
            </footer>
          ) : null}
          {props.script ? <script nonce={nonce} dangerouslySetInnerHTML={{ __html: props.script }} /> : null}
        </body>
      </html>
    </>
  );
}

import { brandedTranslator } from "../../services/branding/branded-translator";
import type { SignupMethod } from "../../services/branding/branding-model";
import type { Locale } from "../i18n";
import type { PageContext } from "../layout";
import type { Theme } from "../theme";
import { LoginPage, SignupPage } from "./auth-pages";

export const PREVIEW_PAGES = ["login", "signup"] as const;
export type PreviewPage = (typeof PREVIEW_PAGES)[number];

/** A hosted page rendered with a theme, for the operator's preview: no session, no user data, a dummy CSRF token. */
export async function renderBrandingPreview(input: {
  page: PreviewPage;
  locale: Locale;
  theme: Theme;
  nonce: string;
  minLength: number;
  /** The sign-up methods the deployment offers (services/signup-methods/offered-methods.ts). */
  signupMethods: readonly SignupMethod[];
}): Promise<string> {
  const page: PageContext = {
    t: brandedTranslator(input.locale, input.theme),
    locale: input.locale,
    nonce: input.nonce,
    csrfToken: "preview",
    currentPath: `/${input.page}`,
    theme: input.theme,
  };
  const element = input.page === "signup" ? <SignupPage page={page} minLength={input.minLength} available={input.signupMethods} /> : <LoginPage page={page} />;
  return String(await element.toString());
}

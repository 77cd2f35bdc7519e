/**
 * Brand settings rendered as CSS variables on every page and in emails. The built-in theme is the default;
 * services/branding/ builds a theme per app from the operator's branding (global, then the app's overrides).
 * Every value here is validated (colours are hex, the font stack is allow-listed, the CSS is sanitized).
 */
export interface Theme {
  brandName: string;
  logoUrl: string | null;
  primary: string;
  primaryText: string;
  background: string;
  surface: string;
  text: string;
  muted: string;
  danger: string;
  success: string;
  radius: string;
  /** A validated font-family stack, or null for the stylesheet's system stack. */
  fontFamily: string | null;
  /** Sanitized custom CSS (services/branding/css-sanitizer.ts), appended after the base stylesheet. */
  customCss: string;
  termsUrl: string | null;
  privacyUrl: string | null;
  /** The sign-up methods to show, in order (see services/branding/branding-model.ts). */
  signupMethods: readonly string[];
  /** Per-locale overrides of message keys (known keys only, plain text). */
  customText: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export const defaultTheme: Theme = {
  brandName: "Gatehouse",
  logoUrl: null,
  primary: "#1f5fbf",
  primaryText: "#ffffff",
  background: "#f4f6fa",
  surface: "#ffffff",
  text: "#1b2330",
  muted: "#5b6577",
  danger: "#b3261e",
  success: "#1e7a3c",
  radius: "10px",
  fontFamily: null,
  customCss: "",
  termsUrl: null,
  privacyUrl: null,
  // What a deployment without a branding shows (the page it always had); operators add `email_code`,
  // `magic_link` or `sms` through the branding's `signup_methods`.
  signupMethods: ["password", "passkey", "social"],
  customText: {},
};

/** The theme as CSS custom properties. */
export function themeCss(theme: Theme): string {
  return `:root{--gh-primary:${theme.primary};--gh-primary-text:${theme.primaryText};--gh-bg:${theme.background};--gh-surface:${theme.surface};--gh-text:${theme.text};--gh-muted:${theme.muted};--gh-danger:${theme.danger};--gh-success:${theme.success};--gh-radius:${theme.radius}}`;
}

/** What comes after the base stylesheet: the brand's font, then its custom CSS (so it can override anything). */
export function themeOverridesCss(theme: Theme): string {
  return `.legal{display:flex;gap:16px;justify-content:center;padding:16px;font-size:.9rem}.legal a{color:var(--gh-muted)}${theme.fontFamily ? `body{font-family:${theme.fontFamily}}` : ""}${theme.customCss}`;
}

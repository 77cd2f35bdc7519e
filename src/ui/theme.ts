/** Brand settings rendered as CSS variables on every page and in emails. Per-app branding builds on this. */
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
};

/** The theme as CSS custom properties. */
export function themeCss(theme: Theme): string {
  return `:root{--gh-primary:${theme.primary};--gh-primary-text:${theme.primaryText};--gh-bg:${theme.background};--gh-surface:${theme.surface};--gh-text:${theme.text};--gh-muted:${theme.muted};--gh-danger:${theme.danger};--gh-success:${theme.success};--gh-radius:${theme.radius}}`;
}

import { brandingStore, clientBrandingScope, GLOBAL_BRANDING } from "../../storage/branding-store";
import { defaultTheme, type Theme } from "../../ui/theme";
import type { Deps } from "../deps";
import type { BrandingDocument } from "./branding-model";
import { sanitizeCss } from "./css-sanitizer";

/** Branding changes reach other isolates within this time (pages read branding on every request). */
export const BRANDING_CACHE_TTL_MS = 30_000;

const cache = new Map<string, { document: BrandingDocument | null; at: number }>();

export { clientBrandingScope, GLOBAL_BRANDING };

/** The stored document of one scope (`global` or `client:<id>`), null when none is set. */
export async function getBranding(deps: Pick<Deps, "db">, scope: string): Promise<BrandingDocument | null> {
  return (await brandingStore(deps.db).get(scope)) as BrandingDocument | null;
}

/**
 * Stores a validated document, with its custom CSS sanitized first. Returns what is stored and what the
 * sanitizer removed, so the operator sees that their CSS was changed.
 */
export async function putBranding(
  deps: Pick<Deps, "db" | "clock">,
  scope: string,
  input: BrandingDocument,
): Promise<{ document: BrandingDocument; cssRemoved: string[] }> {
  const document: BrandingDocument = { ...input };
  let cssRemoved: string[] = [];
  if (input.custom_css !== undefined) {
    const sanitized = sanitizeCss(input.custom_css);
    document.custom_css = sanitized.css;
    cssRemoved = sanitized.removed;
  }
  await brandingStore(deps.db).put(scope, document as Record<string, unknown>, deps.clock());
  cache.delete(scope);
  return { document, cssRemoved };
}

export async function deleteBranding(deps: Pick<Deps, "db">, scope: string): Promise<boolean> {
  cache.delete(scope);
  return brandingStore(deps.db).delete(scope);
}

/** The theme of a page or email: the built-in theme, then the global branding, then the app's overrides. */
export async function themeFor(deps: Pick<Deps, "db" | "clock">, clientId: string | null): Promise<Theme> {
  const scopes = clientId ? [GLOBAL_BRANDING, clientBrandingScope(clientId)] : [GLOBAL_BRANDING];
  const now = deps.clock();
  const missing = scopes.filter((scope) => {
    const hit = cache.get(scope);
    return !hit || now - hit.at > BRANDING_CACHE_TTL_MS;
  });
  if (missing.length > 0) {
    const found = await brandingStore(deps.db).getMany(missing);
    for (const scope of missing) cache.set(scope, { document: (found.get(scope) as BrandingDocument | undefined) ?? null, at: now });
  }
  return scopes.reduce((theme, scope) => applyBranding(theme, cache.get(scope)?.document ?? null), defaultTheme);
}

/** One document over a theme, field by field (and colour by colour, and message by message). */
export function applyBranding(theme: Theme, document: BrandingDocument | null): Theme {
  if (!document) return theme;
  const colors = document.colors ?? {};
  const customText: Record<string, Record<string, string>> = { ...theme.customText };
  for (const [locale, messages] of Object.entries(document.custom_text ?? {})) {
    customText[locale] = { ...customText[locale], ...(messages as Record<string, string>) };
  }
  return {
    ...theme,
    brandName: document.name ?? theme.brandName,
    logoUrl: document.logo_url ?? theme.logoUrl,
    primary: colors.primary ?? theme.primary,
    primaryText: colors.primary_text ?? theme.primaryText,
    background: colors.background ?? theme.background,
    surface: colors.surface ?? theme.surface,
    text: colors.text ?? theme.text,
    muted: colors.muted ?? theme.muted,
    danger: colors.danger ?? theme.danger,
    success: colors.success ?? theme.success,
    fontFamily: document.font_family ?? theme.fontFamily,
    // An app's CSS comes after the global CSS, so it can override it.
    customCss: theme.customCss + (document.custom_css ?? ""),
    termsUrl: document.terms_url ?? theme.termsUrl,
    privacyUrl: document.privacy_url ?? theme.privacyUrl,
    signupMethods: document.signup_methods ?? theme.signupMethods,
    customText,
  };
}

/** Forgets cached documents (tests change branding directly in the database). */
export function clearBrandingCache(): void {
  cache.clear();
}

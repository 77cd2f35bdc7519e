import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { brandedTranslator } from "../services/branding/branded-translator";
import { themeFor } from "../services/branding/branding";
import { clientOfPage } from "../services/branding/page-client";
import { isApiPath } from "./api-paths";
import { journeyReturnTo } from "./journey-return-to";

/**
 * Puts the theme of the app the visitor came from on the context (pages render it through `pageContext`),
 * and a translator with that app's custom text. Runs after the CSRF check, which has already parsed (and
 * cached) a posted form, so reading `return_to` from it costs nothing.
 */
export const brandingContext = createMiddleware<AppEnv>(async (c, next) => {
  if (isApiPath(c.req.path)) return next();
  const form = c.req.method === "POST" ? await postedForm(c) : {};
  const interaction = c.req.query("interaction") ?? form.interaction ?? null;
  const returnTo = c.req.query("return_to") ?? form.return_to ?? (interaction ? null : await journeyReturnTo(c));
  const clientId = await clientOfPage(c.get("deps"), {
    returnTo,
    interaction,
    clientId: c.req.path === "/authorize" ? (c.req.query("client_id") ?? form.client_id ?? null) : null,
  });
  await useTheme(c, clientId);
  await next();
});

/**
 * Brands the rest of this request for the app a server-side record names: an emailed link's row remembers
 * the app it was issued for (services/link-journey.ts). Never pass a client id read from the request itself.
 */
export async function brandForClient(c: Context<AppEnv>, clientId: string | null): Promise<void> {
  if (clientId) await useTheme(c, clientId);
}

async function useTheme(c: Context<AppEnv>, clientId: string | null): Promise<void> {
  const theme = await themeFor(c.get("deps"), clientId);
  c.set("theme", theme);
  c.set("request", { ...c.get("request"), theme });
  c.set("t", brandedTranslator(c.get("locale"), theme));
}

async function postedForm(c: Context<AppEnv>): Promise<Record<string, string | undefined>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") return {};
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value === "string" ? value : undefined]));
  } catch {
    // The route refuses a malformed body itself; the page then shows the default branding.
    return {};
  }
}

import { createRoute, z } from "@hono/zod-openapi";
import { randomToken } from "../../lib/random";
import { ADMIN_ACTOR } from "../../services/admin-outcome";
import { clientBrandingScope, deleteBranding, GLOBAL_BRANDING, getBranding, putBranding, themeFor } from "../../services/branding/branding";
import {
  type BrandingDocument,
  COLOR_NAMES,
  FONT_STACK,
  HEX_COLOR,
  isHttpsUrl,
  isMessageKey,
  isPlainText,
  MAX_CUSTOM_TEXT_LENGTH,
  MAX_FONT_STACK_LENGTH,
  MAX_NAME_LENGTH,
  SIGNUP_METHODS,
} from "../../services/branding/branding-model";
import { MAX_CUSTOM_CSS_LENGTH } from "../../services/branding/css-sanitizer";
import { findClient } from "../../services/oidc/clients";
import { offeredSignupMethods } from "../../services/signup-methods/offered-methods";
import { SUPPORTED_LOCALES } from "../../ui/i18n";
import { PREVIEW_PAGES, renderBrandingPreview } from "../../ui/pages/branding-preview";
import { ClientIdParams } from "./client-schemas";
import { adminApp, fail, jsonBodyOnly, problems } from "./problems";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["Branding"];

const HttpsUrl = z
  .string()
  .max(2048)
  .refine(isHttpsUrl, { message: "must be an absolute https URL without credentials", params: { code: "https_url_required" } });

const Colors = z
  .strictObject(Object.fromEntries(COLOR_NAMES.map((name) => [name, z.string().regex(HEX_COLOR, "must be a hex colour like #1f5fbf").optional()])))
  .openapi({ description: `Hex colours (#rgb or #rrggbb): ${COLOR_NAMES.join(", ")}.` });

const Messages = z
  .record(z.string(), z.string().max(MAX_CUSTOM_TEXT_LENGTH).refine(isPlainText, { message: "must be plain text (no < or >, no control characters)" }))
  .superRefine((messages, ctx) => {
    for (const key of Object.keys(messages)) {
      if (!isMessageKey(key)) ctx.addIssue({ code: "custom", path: [key], message: "is not a known message key", params: { code: "unknown_message_key" } });
    }
  });

const BrandingSchema = z
  .strictObject({
    name: z.string().min(1).max(MAX_NAME_LENGTH).refine(isPlainText, { message: "must be plain text" }).optional(),
    logo_url: HttpsUrl.optional(),
    colors: Colors.optional(),
    font_family: z
      .string()
      .max(MAX_FONT_STACK_LENGTH)
      .regex(FONT_STACK, 'must be a font-family stack of plain names, e.g. "DejaVu Sans", Arial, sans-serif')
      .optional(),
    custom_css: z.string().max(MAX_CUSTOM_CSS_LENGTH).optional().openapi({
      description: "Sanitized on save: @import, non-https url(), expression(), behavior, -moz-binding, javascript: and anything unparsable are removed.",
    }),
    custom_text: z
      .strictObject(Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, Messages.optional()])))
      .optional()
      .openapi({ description: 'Overrides of message keys per locale, e.g. {"de": {"login.title": "Willkommen"}}. Known keys only, plain text.' }),
    terms_url: HttpsUrl.optional(),
    privacy_url: HttpsUrl.optional(),
    signup_methods: z
      .array(z.enum(SIGNUP_METHODS))
      .min(1)
      .max(SIGNUP_METHODS.length)
      .refine((methods) => new Set(methods).size === methods.length, { message: "must not repeat a method" })
      .optional()
      .openapi({ description: "Which sign-up methods show, in this order." }),
  })
  .openapi("Branding");

const SavedBrandingSchema = z
  .object({
    branding: BrandingSchema,
    css_removed: z.array(z.string()).openapi({ description: "What the CSS sanitizer removed from `custom_css` (empty when nothing)." }),
  })
  .openapi("SavedBranding");

const getGlobalRoute = createRoute({
  method: "get",
  path: "/admin/v1/branding",
  tags,
  summary: "Read the global branding",
  responses: { 200: { description: "The deployment's branding (empty when none is set).", ...json(BrandingSchema) } },
});

const putGlobalRoute = createRoute({
  method: "put",
  path: "/admin/v1/branding",
  tags,
  summary: "Replace the global branding",
  description: "Applies to every page and email unless an app overrides a field.",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, ...json(BrandingSchema) } },
  responses: { 200: { description: "What is now stored.", ...json(SavedBrandingSchema) }, ...problems(400, 413, 415) },
});

const getClientRoute = createRoute({
  method: "get",
  path: "/admin/v1/branding/clients/{client_id}",
  tags,
  summary: "Read an app's branding overrides",
  request: { params: ClientIdParams },
  responses: { 200: { description: "The app's overrides (empty when none are set).", ...json(BrandingSchema) }, ...problems(400, 404) },
});

const putClientRoute = createRoute({
  method: "put",
  path: "/admin/v1/branding/clients/{client_id}",
  tags,
  summary: "Replace an app's branding overrides",
  description: "Fields set here override the global branding on pages and emails of logins that came from this app.",
  middleware: [jsonBodyOnly] as const,
  request: { params: ClientIdParams, body: { required: true, ...json(BrandingSchema) } },
  responses: { 200: { description: "What is now stored.", ...json(SavedBrandingSchema) }, ...problems(400, 404, 413, 415) },
});

const deleteClientRoute = createRoute({
  method: "delete",
  path: "/admin/v1/branding/clients/{client_id}",
  tags,
  summary: "Remove an app's branding overrides",
  request: { params: ClientIdParams },
  responses: { 204: { description: "Removed: the app shows the global branding." }, ...problems(400, 404) },
});

const previewRoute = createRoute({
  method: "get",
  path: "/admin/v1/branding/preview",
  tags,
  summary: "Preview a page with the branding in force",
  description: "The rendered HTML of a hosted page (no data of any user) with the global branding and, with `client_id`, that app's overrides.",
  request: {
    query: z.strictObject({
      client_id: z.string().min(1).max(128).optional(),
      page: z.enum(PREVIEW_PAGES).default("login"),
      locale: z.enum(SUPPORTED_LOCALES).default("en"),
    }),
  },
  responses: { 200: { description: "The page.", content: { "text/html": { schema: z.string() } } }, ...problems(400, 404) },
});

async function requireClient(c: Parameters<typeof fail>[0], clientId: string): Promise<void> {
  if (!(await findClient(c.get("deps"), clientId))) fail(c, 404, "no client with this id");
}

/** Routes for branding: the global default, per-app overrides, and a preview for operators. */
export const brandingAdminRoutes = adminApp()
  .openapi(getGlobalRoute, async (c) => c.json((await getBranding(c.get("deps"), GLOBAL_BRANDING)) ?? {}, 200))
  .openapi(putGlobalRoute, async (c) => {
    const deps = c.get("deps");
    const saved = await putBranding(deps, GLOBAL_BRANDING, c.req.valid("json") as BrandingDocument);
    await deps.audit.record(
      { type: "admin.settings_updated", outcome: "success", ...ADMIN_ACTOR, details: { setting: "branding", scope: GLOBAL_BRANDING } },
      c.get("request"),
    );
    return c.json({ branding: saved.document as z.infer<typeof BrandingSchema>, css_removed: saved.cssRemoved }, 200);
  })
  .openapi(getClientRoute, async (c) => {
    const { client_id } = c.req.valid("param");
    await requireClient(c, client_id);
    return c.json((await getBranding(c.get("deps"), clientBrandingScope(client_id))) ?? {}, 200);
  })
  .openapi(putClientRoute, async (c) => {
    const { client_id } = c.req.valid("param");
    await requireClient(c, client_id);
    const deps = c.get("deps");
    const saved = await putBranding(deps, clientBrandingScope(client_id), c.req.valid("json") as BrandingDocument);
    await deps.audit.record(
      { type: "admin.settings_updated", outcome: "success", ...ADMIN_ACTOR, details: { setting: "branding", client_id } },
      c.get("request"),
    );
    return c.json({ branding: saved.document as z.infer<typeof BrandingSchema>, css_removed: saved.cssRemoved }, 200);
  })
  .openapi(deleteClientRoute, async (c) => {
    const { client_id } = c.req.valid("param");
    await requireClient(c, client_id);
    const deps = c.get("deps");
    if (await deleteBranding(deps, clientBrandingScope(client_id))) {
      await deps.audit.record(
        { type: "admin.settings_updated", outcome: "success", ...ADMIN_ACTOR, details: { setting: "branding", client_id, removed: true } },
        c.get("request"),
      );
    }
    return c.body(null, 204);
  })
  .openapi(previewRoute, async (c) => {
    const { client_id, page, locale } = c.req.valid("query");
    if (client_id) await requireClient(c, client_id);
    const theme = await themeFor(c.get("deps"), client_id ?? null);
    // The admin API's own CSP allows nothing; the preview gets the hosted pages' style rules, without scripts.
    const nonce = randomToken(16);
    const html = await renderBrandingPreview({
      page,
      locale,
      theme,
      nonce,
      minLength: c.get("config").password.minLength,
      signupMethods: offeredSignupMethods(c.get("config")),
    });
    c.header(
      "Content-Security-Policy",
      `default-src 'none'; style-src 'nonce-${nonce}'; img-src data: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    );
    return c.html(html, 200);
  });

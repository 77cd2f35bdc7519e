import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { loadConfig } from "../config";
import { clientIp } from "../lib/client-ip";
import { auditLog } from "../services/audit";
import { systemClock } from "../services/clock";
import { httpEmailSender } from "../services/messages/http-email-sender";
import type { MessageSender } from "../services/messages/message-sender";
import { outboxSender } from "../services/messages/outbox-sender";
import { createPasswordHasher, type PasswordHasher } from "../services/password-hasher";
import { openDatabase } from "../storage/db";
import { guards } from "../storage/guards";
import { sessionCache } from "../storage/session-cache";
import { negotiateLocale, translator } from "../ui/i18n";

export const LOCALE_COOKIE = "__Host-gh_lang";

let hasher: { pepper: string; instance: PasswordHasher } | undefined;

/**
 * Validates configuration (once per isolate), then puts the per-request dependencies, the request
 * context (client IP from `CF-Connecting-IP` only) and the negotiated locale on the context.
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const config = loadConfig(c.env as unknown as Record<string, unknown>);
  c.set("config", config);
  const db = openDatabase(c.env.DB);
  if (hasher?.pepper !== config.passwordPepper) hasher = { pepper: config.passwordPepper, instance: createPasswordHasher(config.passwordPepper) };
  const sender: MessageSender =
    config.environment === "development" || !config.email.apiUrl
      ? outboxSender(db, systemClock)
      : httpEmailSender({ url: config.email.apiUrl, apiKey: config.email.apiKey, from: config.email.from });
  const executionCtx = safeExecutionCtx(c);
  c.set("deps", {
    config,
    db,
    sessionCache: sessionCache(c.env.SESSIONS),
    guards: guards(c.env),
    sender,
    hasher: hasher.instance,
    audit: auditLog(db, systemClock),
    clock: systemClock,
    defer: (work) => {
      const settled = work.catch((error: unknown) =>
        console.error(JSON.stringify({ level: "error", message: "deferred work failed", requestId: c.get("requestId"), error: String(error) })),
      );
      if (executionCtx) executionCtx.waitUntil(settled);
    },
  });
  const locale = negotiateLocale({
    uiLocales: c.req.query("ui_locales"),
    chosen: getCookie(c, LOCALE_COOKIE),
    acceptLanguage: c.req.header("accept-language"),
  });
  c.set("locale", locale);
  c.set("t", translator(locale));
  c.set("request", {
    ip: clientIp(c.req.raw.headers),
    userAgent: c.req.header("user-agent") ?? null,
    country: (c.req.raw.cf?.country as string | undefined) ?? null,
    requestId: c.get("requestId"),
    locale,
  });
  await next();
});

function safeExecutionCtx(c: { executionCtx: { waitUntil(promise: Promise<unknown>): void } }): { waitUntil(promise: Promise<unknown>): void } | null {
  try {
    return c.executionCtx;
  } catch {
    return null;
  }
}

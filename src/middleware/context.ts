import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { type Config, loadConfig } from "../config";
import { clientIp, validIp } from "../lib/client-ip";
import { developmentEdgeOverrides, edgeFacts } from "../lib/edge-facts";
import { auditLog } from "../services/audit";
import { systemClock } from "../services/clock";
import type { Deps } from "../services/deps";
import { httpEmailSender } from "../services/messages/http-email-sender";
import { httpSmsSender } from "../services/messages/http-sms-sender";
import type { MessageSender } from "../services/messages/message-sender";
import { outboxSender } from "../services/messages/outbox-sender";
import { smsRoutingSender } from "../services/messages/sms-routing-sender";
import { createPasswordHasher } from "../services/password-hasher";
import { openDatabase } from "../storage/db";
import { guards } from "../storage/guards";
import { sessionCache } from "../storage/session-cache";
import { negotiateLocale, translator } from "../ui/i18n";
import { isApiPath } from "./api-paths";

export const LOCALE_COOKIE = "__Host-gh_lang";

/** The request-independent part of `Deps`, built once per environment object (i.e. per isolate). */
const baseDepsCache = new WeakMap<object, Omit<Deps, "defer">>();

export function baseDeps(env: Env, config: Config): Omit<Deps, "defer"> {
  let base = baseDepsCache.get(env);
  if (!base) {
    const db = openDatabase(env.DB);
    const outbox = outboxSender(db, systemClock);
    const emailSender: MessageSender =
      config.environment === "development" || !config.email.apiUrl
        ? outbox
        : httpEmailSender({ url: config.email.apiUrl, apiKey: config.email.apiKey, from: config.email.from });
    const sender = smsRoutingSender({ sms: smsSenderFor(config, outbox), other: emailSender });
    base = {
      config,
      db,
      sessionCache: sessionCache(env.SESSIONS),
      guards: guards(env),
      sender,
      hasher: createPasswordHasher(config.passwordPepper),
      audit: auditLog(db, systemClock),
      clock: systemClock,
    };
    baseDepsCache.set(env, base);
  }
  return base;
}

/** The dependencies of one request: the isolate's, plus `defer` on this request's execution context. */
export function requestDeps(env: Env, config: Config, executionCtx: WaitUntil | null, requestId: string): Deps {
  return {
    ...baseDeps(env, config),
    defer: (work) => {
      const settled = work.catch((error: unknown) =>
        console.error(JSON.stringify({ level: "error", message: "deferred work failed", requestId, error: String(error) })),
      );
      if (executionCtx) executionCtx.waitUntil(settled);
    },
  };
}

type WaitUntil = { waitUntil(promise: Promise<unknown>): void };

/** The SMS provider: none when SMS is off, the outbox in development and tests, else the HTTP API. */
function smsSenderFor(config: Config, outbox: MessageSender): MessageSender | null {
  const { sms } = config;
  if (!sms.enabled) return null;
  if (config.environment === "development" || !sms.apiUrl || !sms.accountSid || !sms.authToken || !sms.from) return outbox;
  return httpSmsSender({ url: sms.apiUrl, accountSid: sms.accountSid, authToken: sms.authToken, from: sms.from });
}

/**
 * Validates configuration (once per isolate), then puts the per-request dependencies, the request
 * context (client IP from `CF-Connecting-IP` only) and the negotiated locale on the context.
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const config = loadConfig(c.env as unknown as Record<string, unknown>);
  c.set("config", config);
  c.set("deps", requestDeps(c.env, config, safeExecutionCtx(c), c.get("requestId")));
  // The JSON APIs answer in English (OAuth error descriptions, problem details): no cookie or header parsing.
  const locale = isApiPath(c.req.path)
    ? "en"
    : negotiateLocale({ uiLocales: c.req.query("ui_locales"), chosen: getCookie(c, LOCALE_COOKIE), acceptLanguage: c.req.header("accept-language") });
  c.set("locale", locale);
  c.set("t", translator(locale));
  const overrides = developmentEdgeOverrides(c.req.raw.headers, config.environment);
  const edge = edgeFacts("cf" in overrides ? overrides.cf : c.req.raw.cf);
  c.set("request", {
    ip: overrides.ip !== undefined ? validIp(overrides.ip) : clientIp(c.req.raw.headers),
    userAgent: c.req.header("user-agent") ?? null,
    country: edge.country,
    edge,
    requestId: c.get("requestId"),
    locale,
  });
  await next();
});

export function safeExecutionCtx(c: { executionCtx: WaitUntil }): WaitUntil | null {
  try {
    return c.executionCtx;
  } catch {
    return null;
  }
}

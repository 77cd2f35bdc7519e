import { z } from "zod";
import { base64UrlDecode, base64UrlEncode } from "./lib/encoding";

/** Everything Gatehouse can be told through its environment, validated once per isolate. */
export interface Config {
  environment: "development" | "production" | "test";
  /** Public origin of this deployment, without a trailing slash; every link we send starts with it. */
  issuerUrl: string;
  issuerOrigin: string;
  keyEncryptionKey: string;
  passwordPepper: string;
  adminApiToken: string;
  session: { idleTimeoutSeconds: number; absoluteTimeoutSeconds: number; touchIntervalSeconds: number };
  password: { minLength: number; maxBytes: number };
  /** `verify_first`: an unverified account cannot log in; `allow`: it can, and the account page asks to verify. */
  unverifiedLogin: "allow" | "verify_first";
  login: {
    accountFailuresBeforeBackoff: number;
    accountMaxBackoffSeconds: number;
    ipFailureLimit: number;
    ipAccountLimit: number;
    ipWindowSeconds: number;
  };
  email: { apiUrl: string | null; apiKey: string | null; from: string };
  /**
   * Text messages. `enabled` when a provider is configured, or always in development and tests (outbox).
   * `allowedCallingCodes`: country calling codes numbers may have (`["49", "43"]`); null allows all.
   */
  sms: {
    enabled: boolean;
    apiUrl: string | null;
    accountSid: string | null;
    authToken: string | null;
    from: string | null;
    allowedCallingCodes: string[] | null;
    /** SMS sent to one country calling code per hour across all users: caps the cost of an SMS-pumping run. */
    countryHourlyLimit: number;
  };
  maxBodyBytes: number;
  /** RFC 7591 Dynamic Client Registration at `/register`: `off`, or open to holders of an initial access token. */
  dynamicRegistration: "off" | "initial_access_token";
  /** Token lifetimes of the OpenID Provider. */
  tokens: { accessTokenTtlSeconds: number; idTokenTtlSeconds: number; refreshTokenTtlSeconds: number; refreshReuseIntervalSeconds: number };
  /** Web Push approvals (RFC 8030/8291/8292). */
  push: PushConfig;
  /** Removing or resetting a factor needs a login at most this old. */
  mfa: { reauthSeconds: number };
  /** `errors`: an access-log line only for 5xx answers and slow requests (Workers Observability records every request); `all`: every request. */
  accessLog: "errors" | "all";
  /** `off` skips the risk engine on logins (benchmarks, emergencies): nothing is scored or stored, and `adaptive` MFA then asks every login for a second factor. */
  riskEngine: "on" | "off";
  /** Days a login's risk decision (`risk_events`) is kept before the daily clean-up deletes it. */
  riskEventsRetentionDays: number;
  /** WebAuthn relying party: passkeys are bound to `rpId`; assertions are accepted only from `origins`. */
  webauthn: { rpId: string; rpName: string; origins: string[] };
  /** Cloudflare Turnstile on sign-up and login for borderline sources; null when not configured (nothing changes). */
  turnstile: TurnstileConfig | null;
}

/** The Turnstile widget's keys and where its tokens are verified (overridable so tests use a local fake). */
export interface TurnstileConfig {
  siteKey: string;
  secretKey: string;
  verifyUrl: string;
}

/** Cloudflare's server-side validation endpoint for Turnstile tokens. */
export const DEFAULT_TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** Where and how Gatehouse sends push approvals. */
export interface PushConfig {
  /** The configured VAPID key pair; null: generated and kept in D1 outside production, push unavailable in production. */
  vapid: VapidKeyPair | null;
  /** The VAPID `sub` claim: a `mailto:` or `https:` contact for push services. */
  subject: string;
  /** Push-service hosts subscriptions may point at: exact names, or `*.suffix` for any subdomain of `suffix`. */
  endpointHosts: string[];
  /** Development only: `http(s)://127.0.0.1` and `localhost` endpoints are accepted too (for local tests). */
  allowLoopbackEndpoints: boolean;
}

/** A VAPID key pair: the private key as a P-256 JWK, the public key as the raw uncompressed point (base64url). */
export interface VapidKeyPair {
  publicKey: string;
  privateJwk: { kty: "EC"; crv: "P-256"; x: string; y: string; d: string };
}

/** The hosts of the big browser push services (Chrome/FCM, Firefox/autopush, Safari/Apple, Edge/WNS). */
export const DEFAULT_PUSH_ENDPOINT_HOSTS = ["fcm.googleapis.com", "updates.push.services.mozilla.com", "*.push.apple.com", "*.notify.windows.com"];

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const secret = (name: string) =>
  z
    .string({
      error: `${name} is required (a random secret of at least 32 characters; run \`npm start\` to create .dev.vars locally, \`wrangler secret put ${name}\` in production)`,
    })
    .min(32, `${name} must be at least 32 characters`);

const schema = z
  .object({
    ENVIRONMENT: z.enum(["development", "production", "test"]).default("production"),
    ISSUER_URL: z.url({ error: "ISSUER_URL must be an absolute URL such as https://id.example.com" }),
    KEY_ENCRYPTION_KEY: secret("KEY_ENCRYPTION_KEY"),
    PASSWORD_PEPPER: secret("PASSWORD_PEPPER"),
    ADMIN_API_TOKEN: secret("ADMIN_API_TOKEN"),
    SESSION_IDLE_TIMEOUT_SECONDS: positiveInt(3 * 24 * 3600),
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: positiveInt(30 * 24 * 3600),
    SESSION_TOUCH_INTERVAL_SECONDS: positiveInt(300),
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8, "PASSWORD_MIN_LENGTH must be at least 8 (NIST SP 800-63B)").max(64).default(8),
    UNVERIFIED_LOGIN: z.enum(["allow", "verify_first"]).default("verify_first"),
    LOGIN_ACCOUNT_FAILURES_BEFORE_BACKOFF: positiveInt(5),
    LOGIN_ACCOUNT_MAX_BACKOFF_SECONDS: positiveInt(900),
    LOGIN_IP_FAILURE_LIMIT: positiveInt(50),
    LOGIN_IP_ACCOUNT_LIMIT: positiveInt(20),
    LOGIN_IP_WINDOW_SECONDS: positiveInt(3600),
    EMAIL_API_URL: z.url().optional(),
    EMAIL_API_KEY: z.string().min(1).optional(),
    EMAIL_FROM: z.string().default("Gatehouse <no-reply@localhost>"),
    SMS_API_URL: z.url().optional(),
    SMS_ACCOUNT_SID: z.string().min(1).optional(),
    SMS_AUTH_TOKEN: z.string().min(1).optional(),
    SMS_FROM: z.string().min(1).optional(),
    SMS_ALLOWED_COUNTRIES: z
      .string()
      .regex(/^\s*\+?\d{1,3}(\s*,\s*\+?\d{1,3})*\s*$/, "SMS_ALLOWED_COUNTRIES must be country calling codes separated by commas, such as 49,43,41")
      .optional(),
    SMS_COUNTRY_HOURLY_LIMIT: positiveInt(100),
    MAX_BODY_BYTES: positiveInt(64 * 1024),
    DYNAMIC_REGISTRATION: z.enum(["off", "initial_access_token"]).default("off"),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600, "ACCESS_TOKEN_TTL_SECONDS must be at most 3600 (short-lived tokens)").default(600),
    ID_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
    REFRESH_TOKEN_TTL_SECONDS: positiveInt(30 * 24 * 3600),
    REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    VAPID_PUBLIC_KEY: z.string().min(1).optional(),
    VAPID_PRIVATE_KEY: z.string().min(1).optional(),
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, "VAPID_SUBJECT must be a mailto: address or an https: URL (RFC 8292)")
      .optional(),
    PUSH_ENDPOINT_HOSTS: z.string().optional(),
    MFA_REAUTH_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600),
    ACCESS_LOG: z.enum(["errors", "all"]).default("errors"),
    RISK_ENGINE: z.enum(["on", "off"]).default("on"),
    RISK_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    WEBAUTHN_RP_ID: z
      .string()
      .regex(/^[a-z0-9.-]+$/, "WEBAUTHN_RP_ID must be a lower-case host name such as example.com (no scheme, port or path)")
      .optional(),
    WEBAUTHN_ORIGINS: z.string().optional(),
    WEBAUTHN_RP_NAME: z.string().min(1).max(64).default("Gatehouse"),
    TURNSTILE_SITE_KEY: z.string().min(1).max(100).optional(),
    TURNSTILE_SECRET_KEY: z.string().min(1).max(200).optional(),
    TURNSTILE_VERIFY_URL: z.url({ error: "TURNSTILE_VERIFY_URL must be an absolute URL" }).default(DEFAULT_TURNSTILE_VERIFY_URL),
  })
  .superRefine((env, ctx) => {
    const url = new URL(env.ISSUER_URL);
    if (url.pathname !== "/" || url.search || url.hash) {
      ctx.addIssue({ code: "custom", path: ["ISSUER_URL"], message: "ISSUER_URL must be an origin without path, query or fragment" });
    }
    if (env.ENVIRONMENT === "production" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", path: ["ISSUER_URL"], message: "ISSUER_URL must use https in production" });
    }
    if (env.SESSION_IDLE_TIMEOUT_SECONDS > env.SESSION_ABSOLUTE_TIMEOUT_SECONDS) {
      ctx.addIssue({ code: "custom", path: ["SESSION_IDLE_TIMEOUT_SECONDS"], message: "must not exceed SESSION_ABSOLUTE_TIMEOUT_SECONDS" });
    }
    if (env.SMS_API_URL && !(env.SMS_ACCOUNT_SID && env.SMS_AUTH_TOKEN && env.SMS_FROM)) {
      ctx.addIssue({ code: "custom", path: ["SMS_API_URL"], message: "SMS_API_URL needs SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM" });
    }
    for (const problem of webauthnProblems(env.WEBAUTHN_RP_ID ?? url.hostname, env.WEBAUTHN_ORIGINS)) {
      ctx.addIssue({ code: "custom", path: ["WEBAUTHN_ORIGINS"], message: problem });
    }
    if (env.ENVIRONMENT === "production" && !env.EMAIL_API_URL) {
      ctx.addIssue({ code: "custom", path: ["EMAIL_API_URL"], message: "EMAIL_API_URL is required in production (the development outbox is off there)" });
    }
    if (Boolean(env.TURNSTILE_SITE_KEY) !== Boolean(env.TURNSTILE_SECRET_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["TURNSTILE_SECRET_KEY"],
        message: "TURNSTILE_SITE_KEY and TURNSTILE_SECRET_KEY go together (set both, or neither)",
      });
    }
    if (env.ENVIRONMENT === "production" && !env.TURNSTILE_VERIFY_URL.startsWith("https://")) {
      ctx.addIssue({ code: "custom", path: ["TURNSTILE_VERIFY_URL"], message: "TURNSTILE_VERIFY_URL must use https in production" });
    }
    const vapid = parseVapidKeys(env.VAPID_PUBLIC_KEY, env.VAPID_PRIVATE_KEY);
    if (typeof vapid === "string") ctx.addIssue({ code: "custom", path: ["VAPID_PRIVATE_KEY"], message: vapid });
    for (const host of parsePushHosts(env.PUSH_ENDPOINT_HOSTS)) {
      if (!PUSH_HOST_RULE.test(host)) ctx.addIssue({ code: "custom", path: ["PUSH_ENDPOINT_HOSTS"], message: `"${host}" is not a host name or *.suffix rule` });
    }
  });

/** A lower-case DNS name with at least one dot, optionally prefixed by `*.`; no IP literals, ports or paths. */
const PUSH_HOST_RULE = /^(\*\.)?(?=[a-z0-9.-]*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

function parsePushHosts(value: string | undefined): string[] {
  if (value === undefined) return DEFAULT_PUSH_ENDPOINT_HOSTS;
  return value
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * VAPID keys as configured: `VAPID_PRIVATE_KEY` is a P-256 JWK (JSON with x, y, d; the public key then
 * follows from it) or the raw private scalar `d` (32 bytes, base64url) next to `VAPID_PUBLIC_KEY`, the raw
 * uncompressed public point (65 bytes, base64url, what browsers take as `applicationServerKey`).
 * Returns null when neither is set, a message when they are unusable.
 */
function parseVapidKeys(publicKey: string | undefined, privateKey: string | undefined): VapidKeyPair | null | string {
  if (!privateKey) return publicKey ? "VAPID_PRIVATE_KEY is required when VAPID_PUBLIC_KEY is set" : null;
  let x: string;
  let y: string;
  let d: string;
  if (privateKey.trim().startsWith("{")) {
    let jwk: Record<string, unknown>;
    try {
      jwk = JSON.parse(privateKey) as Record<string, unknown>;
    } catch {
      return "VAPID_PRIVATE_KEY is neither a JSON Web Key nor a base64url key";
    }
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.x !== "string" || typeof jwk.y !== "string" || typeof jwk.d !== "string") {
      return "VAPID_PRIVATE_KEY must be an EC P-256 JWK with x, y and d";
    }
    ({ x, y, d } = jwk as { x: string; y: string; d: string });
  } else {
    const point = publicKey ? base64UrlDecode(publicKey) : null;
    if (point?.length !== 65 || point[0] !== 4)
      return "VAPID_PUBLIC_KEY must be the 65-byte uncompressed P-256 point, base64url (required with a raw VAPID_PRIVATE_KEY)";
    x = base64UrlEncode(point.slice(1, 33));
    y = base64UrlEncode(point.slice(33));
    d = privateKey.trim();
  }
  const sizes = [x, y, d].map((part) => base64UrlDecode(part)?.length);
  if (sizes.some((size) => size !== 32)) return "VAPID key coordinates and private scalar must be 32 bytes each (base64url)";
  const raw = new Uint8Array(65);
  raw[0] = 4;
  raw.set(base64UrlDecode(x) as Uint8Array, 1);
  raw.set(base64UrlDecode(y) as Uint8Array, 33);
  const derivedPublic = base64UrlEncode(raw);
  if (publicKey && publicKey.trim() !== derivedPublic) return "VAPID_PUBLIC_KEY does not match VAPID_PRIVATE_KEY";
  return { publicKey: derivedPublic, privateJwk: { kty: "EC", crv: "P-256", x, y, d } };
}

/** Thrown at start-up when the environment is unusable; lists every bad value at once. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const cache = new WeakMap<object, Config>();

/** Parses and validates the environment once per isolate; later calls return the same object. */
export function loadConfig(env: Record<string, unknown>): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = schema.safeParse(emptyToUndefined(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`);
    throw new ConfigError(`Invalid Gatehouse configuration:\n- ${problems.join("\n- ")}`);
  }
  const e = parsed.data;
  const issuerOrigin = new URL(e.ISSUER_URL).origin;
  const config: Config = {
    environment: e.ENVIRONMENT,
    issuerUrl: issuerOrigin,
    issuerOrigin,
    keyEncryptionKey: e.KEY_ENCRYPTION_KEY,
    passwordPepper: e.PASSWORD_PEPPER,
    adminApiToken: e.ADMIN_API_TOKEN,
    session: {
      idleTimeoutSeconds: e.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: e.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      touchIntervalSeconds: e.SESSION_TOUCH_INTERVAL_SECONDS,
    },
    password: { minLength: e.PASSWORD_MIN_LENGTH, maxBytes: 1024 },
    unverifiedLogin: e.UNVERIFIED_LOGIN,
    login: {
      accountFailuresBeforeBackoff: e.LOGIN_ACCOUNT_FAILURES_BEFORE_BACKOFF,
      accountMaxBackoffSeconds: e.LOGIN_ACCOUNT_MAX_BACKOFF_SECONDS,
      ipFailureLimit: e.LOGIN_IP_FAILURE_LIMIT,
      ipAccountLimit: e.LOGIN_IP_ACCOUNT_LIMIT,
      ipWindowSeconds: e.LOGIN_IP_WINDOW_SECONDS,
    },
    email: { apiUrl: e.EMAIL_API_URL ?? null, apiKey: e.EMAIL_API_KEY ?? null, from: e.EMAIL_FROM },
    sms: {
      enabled: e.ENVIRONMENT !== "production" || Boolean(e.SMS_API_URL),
      apiUrl: e.SMS_API_URL ?? null,
      accountSid: e.SMS_ACCOUNT_SID ?? null,
      authToken: e.SMS_AUTH_TOKEN ?? null,
      from: e.SMS_FROM ?? null,
      allowedCallingCodes: e.SMS_ALLOWED_COUNTRIES ? e.SMS_ALLOWED_COUNTRIES.split(",").map((code) => code.trim().replace(/^\+/, "")) : null,
      countryHourlyLimit: e.SMS_COUNTRY_HOURLY_LIMIT,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    dynamicRegistration: e.DYNAMIC_REGISTRATION,
    tokens: {
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      idTokenTtlSeconds: e.ID_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      refreshReuseIntervalSeconds: e.REFRESH_TOKEN_REUSE_INTERVAL_SECONDS,
    },
    push: {
      vapid: parseVapidKeys(e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY) as VapidKeyPair | null,
      // RFC 8292 wants a way to reach the operator; the issuer's https origin is the fallback contact.
      subject: e.VAPID_SUBJECT ?? (issuerOrigin.startsWith("https://") ? issuerOrigin : "mailto:push@localhost"),
      endpointHosts: parsePushHosts(e.PUSH_ENDPOINT_HOSTS),
      allowLoopbackEndpoints: e.ENVIRONMENT === "development",
    },
    mfa: { reauthSeconds: e.MFA_REAUTH_SECONDS },
    accessLog: e.ACCESS_LOG,
    riskEngine: e.RISK_ENGINE,
    riskEventsRetentionDays: e.RISK_EVENTS_RETENTION_DAYS,
    webauthn: {
      rpId: e.WEBAUTHN_RP_ID ?? new URL(issuerOrigin).hostname,
      rpName: e.WEBAUTHN_RP_NAME,
      origins: webauthnOrigins(e.WEBAUTHN_ORIGINS) ?? [issuerOrigin],
    },
    turnstile:
      e.TURNSTILE_SITE_KEY && e.TURNSTILE_SECRET_KEY
        ? { siteKey: e.TURNSTILE_SITE_KEY, secretKey: e.TURNSTILE_SECRET_KEY, verifyUrl: e.TURNSTILE_VERIFY_URL }
        : null,
  };
  cache.set(env, config);
  return config;
}

function webauthnOrigins(list: string | undefined): string[] | null {
  const origins = (list ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  return origins.length > 0 ? origins : null;
}

/**
 * Every allowed WebAuthn origin must be an exact origin whose host is the RP ID or one of its
 * subdomains (browsers refuse anything else, so a mismatch is a configuration mistake to catch at start).
 */
function webauthnProblems(rpId: string, list: string | undefined): string[] {
  const problems: string[] = [];
  for (const origin of webauthnOrigins(list) ?? []) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      problems.push(`"${origin}" is not an origin such as https://id.example.com`);
      continue;
    }
    if (parsed.origin !== origin) problems.push(`"${origin}" must be written as an origin (scheme://host[:port], no path or trailing slash)`);
    else if (parsed.hostname !== rpId && !parsed.hostname.endsWith(`.${rpId}`)) problems.push(`"${origin}" is not on the RP ID ${rpId} or a subdomain of it`);
  }
  return problems;
}

function emptyToUndefined(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === "" ? undefined : value]));
}

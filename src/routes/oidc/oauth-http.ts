import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../app-env";
import { log } from "../../lib/log";
import { OAuthError } from "../../services/oidc/oauth-error";

const UTF8 = new TextDecoder();

/** Headers on every token-bearing or error response (RFC 6749 §5.1). */
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/** RFC 6749 §5.2 error JSON; the internal detail goes to the log only. */
export function oauthErrorResponse(c: Context<AppEnv>, error: OAuthError): Response {
  return oauthErrorJson(error, { requestId: c.get("requestId"), path: c.req.path });
}

/** The same, without a Hono context (the machine lane answers `/token` before the app's middleware). */
export function oauthErrorJson(error: OAuthError, where: { requestId: string | undefined; path: string }): Response {
  if (error.options.internal) log("info", "oauth error", { ...where, error: error.code, detail: error.options.internal });
  const headers: Record<string, string> = { ...NO_STORE, "Content-Type": "application/json" };
  if (error.options.wwwAuthenticate) headers["WWW-Authenticate"] = error.options.wwwAuthenticate;
  if (error.options.retryAfterSeconds) headers["Retry-After"] = String(error.options.retryAfterSeconds);
  return new Response(JSON.stringify({ error: error.code, error_description: error.description }), { status: error.status, headers });
}

/**
 * The form body of an OAuth endpoint: `application/x-www-form-urlencoded` only (RFC 6749 §3.2),
 * every parameter at most once (§3.1: "MUST NOT be included more than once").
 */
export async function readOAuthForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  requireFormType(c.req.header("content-type"));
  let text: string;
  try {
    // Bytes, not `text()`: workerd warns (on every request) when a form body is read as text.
    text = UTF8.decode(await c.req.arrayBuffer());
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    throw new OAuthError("invalid_request", "malformed body");
  }
  return parseOAuthForm(text);
}

/** Refuses a body that is not a form (RFC 6749 §3.2). */
export function requireFormType(contentType: string | null | undefined): void {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded");
}

/** Parses a form body, refusing a repeated parameter. */
export function parseOAuthForm(text: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key in form) throw new OAuthError("invalid_request", `parameter ${key} is repeated`);
    form[key] = value;
  }
  return form;
}

/** JSON with no-store, for token and introspection responses. */
export function noStoreJson(c: Context<AppEnv>, body: unknown, status = 200): Response {
  return c.json(body as object, status as 200, NO_STORE);
}

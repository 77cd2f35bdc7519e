import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../app-env";
import { log } from "../../lib/log";
import { OAuthError } from "../../services/oidc/oauth-error";

/** Headers on every token-bearing or error response (RFC 6749 §5.1). */
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/** RFC 6749 §5.2 error JSON; the internal detail goes to the log only. */
export function oauthErrorResponse(c: Context<AppEnv>, error: OAuthError): Response {
  if (error.options.internal)
    log("info", "oauth error", { requestId: c.get("requestId"), path: c.req.path, error: error.code, detail: error.options.internal });
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
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded");
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(await c.req.text());
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    throw new OAuthError("invalid_request", "malformed body");
  }
  const form: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in form) throw new OAuthError("invalid_request", `parameter ${key} is repeated`);
    form[key] = value;
  }
  return form;
}

/** JSON with no-store, for token and introspection responses. */
export function noStoreJson(c: Context<AppEnv>, body: unknown, status = 200): Response {
  return c.json(body as object, status as 200, NO_STORE);
}

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { ConfigError } from "../config";
import { log } from "../lib/log";
import { problemResponse } from "../lib/problem";
import { oauthErrorResponse } from "../routes/oidc/oauth-http";
import { OAuthError } from "../services/oidc/oauth-error";
import { GuardUnavailableError } from "../storage/guards";
import { translator } from "../ui/i18n";
import { ErrorPage } from "../ui/pages/auth-pages";

/** Endpoints that speak OAuth error JSON (RFC 6749 §5.2). */
const OAUTH_JSON_PATHS = /^\/(token|userinfo|revoke|introspect|par)$/;

/** JSON surfaces answer with problem details; everything else is a hosted page. */
export function wantsJson(c: Context<AppEnv>): boolean {
  const path = c.req.path;
  return path.startsWith("/admin/") || path.startsWith("/api/") || path.startsWith("/dev/outbox.json") || path === "/healthz";
}

/**
 * The one error handler: client errors keep their status and public message; everything else becomes
 * a 500 (or a 503 when a guard is unreachable) whose details go only to the log, under the request id.
 */
export function handleError(error: Error, c: Context<AppEnv>): Response | Promise<Response> {
  const requestId = c.get("requestId") ?? "unknown";
  if (error instanceof OAuthError) return oauthErrorResponse(c, error);
  let status = 500;
  let detail: string | undefined;
  if (error instanceof HTTPException) {
    status = error.status;
    detail = status < 500 ? error.message : undefined;
    if (error.res && status !== 413) return error.res;
  } else if (error instanceof GuardUnavailableError) {
    status = 503;
  }
  if (OAUTH_JSON_PATHS.test(c.req.path)) {
    // OAuth endpoints answer every failure in RFC 6749 §5.2 form, with no internals.
    if (status >= 500) log("error", "unhandled error", { requestId, path: c.req.path, error: String(error), stack: error.stack });
    const code = status === 503 ? "temporarily_unavailable" : status >= 500 ? "server_error" : status === 413 ? "invalid_request" : "invalid_request";
    return oauthErrorResponse(
      c,
      new OAuthError(code, status >= 500 ? "the server could not complete the request" : (detail ?? "the request is invalid"), { status }),
    );
  }
  if (status >= 500) {
    log("error", error instanceof ConfigError ? "configuration error" : "unhandled error", {
      requestId,
      path: c.req.path,
      error: error instanceof ConfigError ? error.message : String(error),
      stack: error instanceof ConfigError ? undefined : error.stack,
    });
  }
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (status === 503) headers["retry-after"] = "5";
  if (wantsJson(c)) return problemResponse(status, detail, { request_id: requestId }, headers);
  const locale = c.get("locale") ?? "en";
  const page = { t: c.get("t") ?? translator(locale), locale, nonce: c.get("cspNonce") ?? "", csrfToken: c.get("csrfToken") ?? "", currentPath: "/" };
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.status(status as 400);
  return c.html(<ErrorPage page={page} status={status} requestId={requestId} />);
}

/** Unknown paths: a problem for JSON surfaces, a friendly page otherwise. */
export function handleNotFound(c: Context<AppEnv>): Response | Promise<Response> {
  return handleError(new HTTPException(404, { message: "no such resource" }), c);
}

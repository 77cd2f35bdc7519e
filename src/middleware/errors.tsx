import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { ConfigError } from "../config";
import { log } from "../lib/log";
import { problemResponse } from "../lib/problem";
import { GuardUnavailableError } from "../storage/guards";
import { translator } from "../ui/i18n";
import { ErrorPage } from "../ui/pages/auth-pages";

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
  let status = 500;
  let detail: string | undefined;
  if (error instanceof HTTPException) {
    status = error.status;
    detail = status < 500 ? error.message : undefined;
    if (error.res && status !== 413) return error.res;
  } else if (error instanceof GuardUnavailableError) {
    status = 503;
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

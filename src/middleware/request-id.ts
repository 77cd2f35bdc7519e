import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { log } from "../lib/log";
import { randomToken } from "../lib/random";
import { setResponseHeaders } from "./response-headers";

/** Requests slower than this are logged even with `ACCESS_LOG=errors`. */
export const SLOW_REQUEST_MS = 1000;

/**
 * Gives every request an id (echoed as `X-Request-Id`). Writes a JSON access-log line (method, path — never
 * the query, which can hold tokens —, status, duration) for server errors and slow requests, or for every
 * request with `ACCESS_LOG=all`: Workers Observability already records each invocation, and a line per
 * request measurably costs CPU on the hot endpoints (docs/performance.md).
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = randomToken(12);
  c.set("requestId", id);
  const started = Date.now();
  await next();
  setResponseHeaders(c, { "X-Request-Id": id });
  const durationMs = Date.now() - started;
  const status = c.res.status;
  if (status >= 500 || durationMs >= SLOW_REQUEST_MS || c.var.config?.accessLog === "all") {
    log(status >= 500 ? "error" : "info", "request", { requestId: id, method: c.req.method, path: c.req.path, status, durationMs });
  }
});

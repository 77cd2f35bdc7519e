import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { log } from "../lib/log";
import { randomToken } from "../lib/random";
import { setResponseHeaders } from "./response-headers";

/**
 * Gives every request an id (echoed as `X-Request-Id`) and writes one JSON access-log line:
 * method, path (never the query, which can hold tokens), status, duration.
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = randomToken(12);
  c.set("requestId", id);
  const started = Date.now();
  await next();
  setResponseHeaders(c, { "X-Request-Id": id });
  log("info", "request", { requestId: id, method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Date.now() - started });
});

import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";
import { timingSafeEqualStrings } from "../../lib/timing-safe";
import { problem } from "./problems";

/** RFC 6750 §2.1: `Authorization: Bearer <token>`; the scheme name is case-insensitive. */
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Admits a request only with `Authorization: Bearer <ADMIN_API_TOKEN>`, compared in constant time.
 * Anything else is a 401 problem with a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3).
 */
export const requireAdminToken = createMiddleware<AppEnv>(async (c, next) => {
  const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token) return problem(c, 401, "an admin API token is required (Authorization: Bearer …)", {}, { "www-authenticate": "Bearer" });
  if (!(await timingSafeEqualStrings(token, c.get("config").adminApiToken))) {
    return problem(c, 401, "the admin API token is not valid", {}, { "www-authenticate": "Bearer" });
  }
  await next();
});

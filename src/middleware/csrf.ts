import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { randomToken } from "../lib/random";
import { timingSafeEqualStrings } from "../lib/timing-safe";
import { readForm } from "../routes/page-helpers";

export const CSRF_COOKIE = "__Host-gh_csrf";
export const CSRF_FIELD = "csrf_token";

/**
 * CSRF protection for the hosted pages, two independent checks on every unsafe request:
 * 1. `Origin` (or, when a browser omits it, `Referer`) must be our issuer origin;
 * 2. the form's `csrf_token` must equal the `__Host-gh_csrf` cookie (double submit; a `__Host-`
 *    cookie cannot be planted by a sibling subdomain). The cookie is made on first visit.
 */
export const csrfProtection = createMiddleware<AppEnv>(async (c, next) => {
  let token = getCookie(c, CSRF_COOKIE);
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
    token = randomToken(32);
    setCookie(c, CSRF_COOKIE, token, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
  }
  c.set("csrfToken", token);
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();

  const expectedOrigin = c.get("config").issuerOrigin;
  const origin = c.req.header("origin") ?? refererOrigin(c.req.header("referer"));
  if (origin !== expectedOrigin) throw new HTTPException(403, { message: "cross-origin form post refused" });
  // The hosted pages accept only forms; anything else is refused before it is parsed.
  const form = await readForm(c);
  const submitted = form[CSRF_FIELD];
  if (typeof submitted !== "string" || !(await timingSafeEqualStrings(submitted, token))) {
    throw new HTTPException(403, { message: "missing or wrong CSRF token" });
  }
  return next();
});

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

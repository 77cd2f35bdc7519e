import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { randomToken } from "../lib/random";
import { setResponseHeaders } from "./response-headers";

/**
 * Strict, nonce-based CSP and the other browser hardening headers on every response.
 * No `form-action`: browsers apply it to every redirect after a form post, and the login form's redirect
 * chain ends at the client's redirect URI on another origin (SSO), which it would block.
 * `Referrer-Policy: same-origin` rather than `no-referrer`: the latter makes browsers send
 * `Origin: null` on form posts, which the CSRF check would then refuse.
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  const nonce = randomToken(16);
  c.set("cspNonce", nonce);
  await next();
  setResponseHeaders(
    c,
    {
      "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic'; style-src 'nonce-${nonce}'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'`,
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
      "Cache-Control": "no-store",
    },
    { ifAbsent: ["Cache-Control"] },
  );
});

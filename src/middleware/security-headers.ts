import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { randomToken } from "../lib/random";
import { TURNSTILE_ORIGIN } from "../services/risk/turnstile";
import { isApiPath } from "./api-paths";
import { setResponseHeaders } from "./response-headers";

/**
 * Strict, nonce-based CSP and the other browser hardening headers on every response.
 * No `form-action`: browsers apply it to every redirect after a form post, and the login form's redirect
 * chain ends at the client's redirect URI on another origin (SSO), which it would block.
 * `Referrer-Policy: same-origin` rather than `no-referrer`: the latter makes browsers send
 * `Origin: null` on form posts, which the CSRF check would then refuse.
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  // JSON APIs render no markup: a fixed policy that allows nothing, and no nonce to make per request.
  if (isApiPath(c.req.path)) {
    c.set("cspNonce", "");
    await next();
    // An API route that renders markup (the branding preview) sets its own, equally strict, policy.
    setResponseHeaders(c, API_HEADERS, API_IF_ABSENT);
    return;
  }
  const nonce = randomToken(16);
  c.set("cspNonce", nonce);
  c.set("cspTurnstile", false);
  await next();
  // Only a login or sign-up page showing the Turnstile widget lets Cloudflare's challenge in (its script, by nonce, and its iframe).
  const turnstile = c.get("cspTurnstile") ? { script: ` ${TURNSTILE_ORIGIN}`, frame: ` frame-src ${TURNSTILE_ORIGIN};` } : { script: "", frame: "" };
  setResponseHeaders(
    c,
    {
      ...COMMON_HEADERS,
      "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic'${turnstile.script}; style-src 'nonce-${nonce}'; img-src 'self' data: https:; connect-src 'self';${turnstile.frame} frame-ancestors 'none'; base-uri 'none'`,
    },
    IF_ABSENT,
  );
});

const COMMON_HEADERS = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Cache-Control": "no-store",
};

/**
 * The headers of every JSON API response (public documents override `Cache-Control`): OWASP's set for REST
 * responses. Referrer-Policy, Cross-Origin-Opener-Policy and Permissions-Policy govern documents a browser
 * renders and navigates from; JSON is neither, and three headers fewer are measurable on /token.
 */
export const API_HEADERS = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Strict-Transport-Security": COMMON_HEADERS["Strict-Transport-Security"],
  "Cache-Control": "no-store",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
};

const IF_ABSENT = { ifAbsent: ["Cache-Control"] };
const API_IF_ABSENT = { ifAbsent: ["Cache-Control", "Content-Security-Policy"] };

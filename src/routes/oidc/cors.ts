import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env";
import type { Client } from "../../services/oidc/client-model";
import { corsOriginAllowed } from "../../services/oidc/clients";

/**
 * CORS for browser apps (public clients) on token, userinfo and revocation. A preflight is answered for
 * any origin, which reveals nothing: the browser still hides the real response unless it carries
 * `Access-Control-Allow-Origin`, which we add only for an origin registered by the client concerned.
 */
export const corsPreflight: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "OPTIONS") return next();
  const origin = c.req.header("origin");
  if (!origin) return c.body(null, 204);
  return c.body(null, 204, {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, DPoP",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  });
};

/** Adds the CORS headers to a response for `client` when the request's origin is one the client registered. */
export function allowClientOrigin(c: Context<AppEnv>, client: Client | null, response: Response): Response {
  const origin = c.req.header("origin");
  response.headers.append("Vary", "Origin");
  if (client && origin && corsOriginAllowed(client, origin)) response.headers.set("Access-Control-Allow-Origin", origin);
  return response;
}

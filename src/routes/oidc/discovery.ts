import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { loadConfig } from "../../config";
import { randomToken } from "../../lib/random";
import { baseDeps } from "../../middleware/context";
import { API_HEADERS } from "../../middleware/security-headers";
import { discoveryJson } from "../../services/oidc/discovery";
import { getKeyRing } from "../../services/oidc/keys";

const PUBLIC_HEADERS = { ...API_HEADERS, "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" };

/** A public document: the same bytes for everyone, built once per isolate; only the request id differs. */
function publicDocument(body: string, contentType: string): Response {
  return new Response(body, { headers: { ...PUBLIC_HEADERS, "Content-Type": contentType, "X-Request-Id": randomToken(12) } });
}

/** The discovery document (both well-known paths). */
export function discoveryResponse(env: Env): Response {
  const config = loadConfig(env as unknown as Record<string, unknown>);
  return publicDocument(discoveryJson(config.issuerUrl, { registration: config.dynamicRegistration !== "off" }), "application/json");
}

/**
 * Discovery and JWKS: public, cacheable, served from memory. The app mounts these before its middleware
 * (they need no session, locale, nonce or body): a request costs little more than the runtime's own work.
 */
export const discoveryRoutes = new Hono<AppEnv>()
  .get("/.well-known/openid-configuration", (c) => discoveryResponse(c.env))
  .get("/.well-known/oauth-authorization-server", (c) => discoveryResponse(c.env))
  .get("/jwks.json", (c) => jwksResponse(c.env));

/** The public keys (JWKS), from the isolate's key ring. */
export async function jwksResponse(env: Env): Promise<Response> {
  const config = loadConfig(env as unknown as Record<string, unknown>);
  return publicDocument((await getKeyRing(baseDeps(env, config))).jwksJson, "application/jwk-set+json");
}

import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { discoveryJson } from "../../services/oidc/discovery";
import { getKeyRing } from "../../services/oidc/keys";

const PUBLIC_CACHE = { "Content-Type": "application/json", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" };

/** Discovery and JWKS: public, cacheable, served from memory. */
export const discoveryRoutes = new Hono<AppEnv>()
  .get("/.well-known/openid-configuration", (c) =>
    c.body(discoveryJson(c.get("config").issuerUrl, { registration: c.get("config").dynamicRegistration !== "off" }), 200, PUBLIC_CACHE),
  )
  .get("/.well-known/oauth-authorization-server", (c) =>
    c.body(discoveryJson(c.get("config").issuerUrl, { registration: c.get("config").dynamicRegistration !== "off" }), 200, PUBLIC_CACHE),
  )
  .get("/jwks.json", async (c) => c.body((await getKeyRing(c.get("deps"))).jwksJson, 200, { ...PUBLIC_CACHE, "Content-Type": "application/jwk-set+json" }));

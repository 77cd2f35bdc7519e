import { Hono } from "hono";
import type { AppEnv } from "../app-env";

/**
 * Dynamic Client Registration (RFC 7591) and its management protocol (RFC 7592) at `/register`.
 * Placeholder while the service is written: answers as if registration were off.
 */
export const registerRoutes = new Hono<AppEnv>();

registerRoutes.all("/register", (c) => disabled(c.json.bind(c)));
registerRoutes.all("/register/*", (c) => disabled(c.json.bind(c)));

function disabled(json: (body: unknown, status: 404, headers: Record<string, string>) => Response): Response {
  return json({ error: "access_denied", error_description: "dynamic client registration is not enabled" }, 404, { "cache-control": "no-store" });
}

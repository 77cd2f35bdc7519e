import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import {
  deleteRegistration,
  type Registration,
  readRegistration,
  registerClient,
  requireRegistrationEnabled,
  updateRegistration,
} from "../services/oidc/dynamic-registration";
import { OAuthError } from "../services/oidc/oauth-error";
import { clientInformation } from "./client-information";

/** RFC 7591 §3.2.1: registration responses hold secrets, so nobody may cache them. */
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/**
 * Dynamic Client Registration (RFC 7591) at `POST /register` and client configuration (RFC 7592) at
 * `GET/PUT/DELETE /register/{client_id}`. Off by default (every path answers 404); errors are RFC 7591
 * §3.2.2 JSON, serialized by the app's error handler. Mount before the browser middleware (no cookies, no CSRF).
 */
export const registerRoutes = new Hono<AppEnv>();

registerRoutes.post("/register", async (c) => {
  requireRegistrationEnabled(c.get("deps"));
  const registration = await registerClient(c.get("deps"), c.req.header("authorization"), await jsonBody(c), c.get("request"));
  return c.json(registrationJson(c, registration), 201, NO_STORE);
});

registerRoutes.get("/register/:client_id", async (c) => {
  const registration = await readRegistration(c.get("deps"), c.req.param("client_id"), c.req.header("authorization"));
  return c.json(registrationJson(c, registration), 200, NO_STORE);
});

registerRoutes.put("/register/:client_id", async (c) => {
  requireRegistrationEnabled(c.get("deps"));
  const registration = await updateRegistration(c.get("deps"), c.req.param("client_id"), c.req.header("authorization"), await jsonBody(c), c.get("request"));
  return c.json(registrationJson(c, registration), 200, NO_STORE);
});

registerRoutes.delete("/register/:client_id", async (c) => {
  await deleteRegistration(c.get("deps"), c.req.param("client_id"), c.req.header("authorization"), c.get("request"));
  return c.body(null, 204, NO_STORE);
});

registerRoutes.all("/register", (c) => methodNotAllowed(c, "POST"));
registerRoutes.all("/register/:client_id", (c) => methodNotAllowed(c, "GET, PUT, DELETE"));

function methodNotAllowed(c: Context<AppEnv>, allowed: string): never {
  requireRegistrationEnabled(c.get("deps"));
  throw new OAuthError("invalid_request", `use ${allowed}`, { status: 405 });
}

/**
 * The JSON body, or `undefined` when it is not JSON: the service refuses that as `invalid_client_metadata`,
 * but only after it has checked the token, so an unauthenticated caller learns nothing from its body.
 */
async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") return undefined;
  try {
    return JSON.parse(await c.req.text());
  } catch {
    return undefined;
  }
}

/** RFC 7591 §3.2.1 client information plus the RFC 7592 §3 management fields. */
function registrationJson(c: Context<AppEnv>, registration: Registration) {
  return {
    ...clientInformation(registration.row, registration.secret),
    registration_access_token: registration.registrationAccessToken,
    registration_client_uri: `${c.get("config").issuerUrl}/register/${encodeURIComponent(registration.row.clientId)}`,
  };
}

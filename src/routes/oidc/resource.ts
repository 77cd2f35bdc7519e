import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { isPublicClient } from "../../services/oidc/client-model";
import { authenticateClient, findClient } from "../../services/oidc/clients";
import { OAuthError } from "../../services/oidc/oauth-error";
import { pushAuthorizationRequest } from "../../services/oidc/par";
import { introspectToken, revokeToken, userInfo } from "../../services/oidc/resource-server";
import { allowClientOrigin, corsPreflight } from "./cors";
import { NO_STORE, noStoreJson, readOAuthForm } from "./oauth-http";

/** The access token from `Authorization: Bearer` or, for POST, the form field (RFC 6750 §2.1–2.2); never the query. */
async function bearerToken(c: Context<AppEnv>): Promise<string | null> {
  const header = c.req.header("authorization");
  const fromHeader = header && /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header)?.[1];
  if (header && !fromHeader)
    throw new OAuthError("invalid_request", "malformed Authorization header", {
      status: 401,
      wwwAuthenticate: 'Bearer realm="gatehouse", error="invalid_request"',
    });
  if (c.req.method === "POST" && (c.req.header("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
    const form = await readOAuthForm(c);
    if (form.access_token && fromHeader) throw new OAuthError("invalid_request", "use exactly one way to send the access token");
    return fromHeader || form.access_token || null;
  }
  return fromHeader || null;
}

function clientInput(c: Context<AppEnv>, form: Record<string, string>) {
  return { authorization: c.req.header("authorization"), form, tokenEndpoint: `${c.get("config").issuerUrl}/token` };
}

export const resourceRoutes = new Hono<AppEnv>()
  .use("/userinfo", corsPreflight)
  .use("/revoke", corsPreflight)
  .on(["GET", "POST"], "/userinfo", async (c) => {
    const { claims, clientId } = await userInfo(c.get("deps"), await bearerToken(c));
    return allowClientOrigin(c, clientId ? await findClient(c.get("deps"), clientId) : null, noStoreJson(c, claims));
  })
  .post("/revoke", async (c) => {
    const form = await readOAuthForm(c);
    const client = await authenticateClient(c.get("deps"), clientInput(c, form));
    await revokeToken(c.get("deps"), client, form.token);
    return allowClientOrigin(c, client, c.body(null, 200, NO_STORE));
  })
  .post("/introspect", async (c) => {
    const form = await readOAuthForm(c);
    const client = await authenticateClient(c.get("deps"), clientInput(c, form));
    // RFC 7662 §2.1: the caller must be authorized; a public client's id alone proves nothing (token scanning).
    if (isPublicClient(client))
      throw new OAuthError("invalid_client", "introspection requires client authentication", { wwwAuthenticate: 'Basic realm="gatehouse"' });
    return noStoreJson(c, await introspectToken(c.get("deps"), client, form.token));
  });

export const parRoutes = new Hono<AppEnv>().post("/par", async (c) => {
  const form = await readOAuthForm(c);
  const client = await authenticateClient(c.get("deps"), clientInput(c, form));
  return noStoreJson(c, await pushAuthorizationRequest(c.get("deps"), client, form), 201);
});

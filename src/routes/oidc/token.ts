import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { handleTokenRequest } from "../../services/oidc/token-endpoint";
import { noStoreJson, readOAuthForm } from "./oauth-http";

export const tokenRoutes = new Hono<AppEnv>().post("/token", async (c) => {
  const form = await readOAuthForm(c);
  const response = await handleTokenRequest(c.get("deps"), {
    authorization: c.req.header("authorization"),
    form,
    tokenEndpoint: `${c.get("config").issuerUrl}/token`,
  });
  return noStoreJson(c, response);
});

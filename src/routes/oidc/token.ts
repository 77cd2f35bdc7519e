import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { handleTokenRequest } from "../../services/oidc/token-endpoint";
import { allowClientOrigin, corsPreflight } from "./cors";
import { noStoreJson, readOAuthForm } from "./oauth-http";

export const tokenRoutes = new Hono<AppEnv>().use("/token", corsPreflight).post("/token", async (c) => {
  const form = await readOAuthForm(c);
  const limiter = c.env.TOKEN_RATE_LIMITER;
  const { client, response } = await handleTokenRequest(c.get("deps"), {
    authorization: c.req.header("authorization"),
    form,
    tokenEndpoint: `${c.get("config").issuerUrl}/token`,
    withinRateLimit: limiter ? async (clientId) => (await limiter.limit({ key: clientId })).success : undefined,
  });
  return allowClientOrigin(c, client, noStoreJson(c, response));
});

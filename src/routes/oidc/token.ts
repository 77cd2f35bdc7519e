import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { safeExecutionCtx } from "../../middleware/context";
import { corsPreflight } from "./cors";
import { tokenEndpoint } from "./token-http";

/**
 * `POST /token` (a plain handler: see token-http.ts), mounted before the app's middleware; `src/index.ts`
 * reaches it without the app at all. The CORS preflight goes through the app's usual path.
 */
export const tokenPostRoute = new Hono<AppEnv>().post("/token", (c) => tokenEndpoint(c.req.raw, c.env, safeExecutionCtx(c)));

export const tokenRoutes = new Hono<AppEnv>().use("/token", corsPreflight);

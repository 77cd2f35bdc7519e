import { Hono } from "hono";
import type { AppEnv } from "../app-env";

export const passkeyRoutes = new Hono<AppEnv>();

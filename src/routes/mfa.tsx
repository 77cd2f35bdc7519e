import { Hono } from "hono";
import type { AppEnv } from "../app-env";

export const mfaRoutes = new Hono<AppEnv>();

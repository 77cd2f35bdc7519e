import { Hono } from "hono";
import type { AppEnv } from "../app-env";

export const pushRoutes = new Hono<AppEnv>();

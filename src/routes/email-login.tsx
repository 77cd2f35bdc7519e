import { Hono } from "hono";
import type { AppEnv } from "../app-env";

export const emailLoginRoutes = new Hono<AppEnv>();

import { Hono } from "hono";
import type { AppEnv } from "../../app-env";

/** The admin API (`/admin/v1/*`). */
export const adminRoutes = new Hono<AppEnv>();

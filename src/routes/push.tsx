import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { PUSH_SERVICE_WORKER } from "../ui/scripts/push-sw";
import { pushAccountRoutes } from "./push/account";
import { pushApproveRoutes } from "./push/approve";
import { pushLoginRoutes } from "./push/login";

/** Push approvals: enrolment on the account page, the login's second step, the approval page, the service worker. */
export const pushRoutes = new Hono<AppEnv>()
  // The service worker script: scope `/push/` (its default), which holds the approval pages it opens.
  .get("/push/sw.js", (c) => c.body(PUSH_SERVICE_WORKER, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" }))
  .route("/", pushLoginRoutes)
  .route("/", pushApproveRoutes)
  .route("/", pushAccountRoutes);

import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { loadConfig } from "./config";
import { requestContext } from "./middleware/context";
import { csrfProtection } from "./middleware/csrf";
import { handleError, handleNotFound } from "./middleware/errors";
import { requestId } from "./middleware/request-id";
import { securityHeaders } from "./middleware/security-headers";
import { loadSession } from "./middleware/session";
import { accountRoutes } from "./routes/account";
import { adminRoutes } from "./routes/admin";
import { devOutboxRoutes } from "./routes/dev-outbox";
import { loginRoutes } from "./routes/login";
import { miscRoutes } from "./routes/misc";
import { passwordResetRoutes } from "./routes/password-reset";
import { signupRoutes } from "./routes/signup";
import { verifyRoutes } from "./routes/verify";

/** Builds the Worker's Hono app: middleware in order, then the route groups. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId, securityHeaders);
  // Oversized bodies are refused with 413 before anything parses them.
  app.use(async (c, next) =>
    bodyLimit({
      maxSize: loadConfig(c.env as unknown as Record<string, unknown>).maxBodyBytes,
      onError: () => {
        throw new HTTPException(413, { message: "request body too large" });
      },
    })(c, next),
  );
  app.use(requestContext);
  app.route("/", adminRoutes);
  // Browser surfaces only: the admin API authenticates with a bearer token, not cookies.
  const browserOnly =
    (middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
    (c, next) =>
      c.req.path.startsWith("/admin/") ? next() : middleware(c, next);
  app.use(browserOnly(loadSession));
  app.use("/dev/*", async (c, next) => {
    if (c.get("config").environment !== "development") return handleNotFound(c);
    return next();
  });
  app.route("/", devOutboxRoutes);
  app.use(browserOnly(csrfProtection));
  app.route("/", miscRoutes);
  app.route("/", signupRoutes);
  app.route("/", verifyRoutes);
  app.route("/", loginRoutes);
  app.route("/", passwordResetRoutes);
  app.route("/", accountRoutes);
  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}

import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { loadConfig } from "./config";
import { isApiPath } from "./middleware/api-paths";
import { brandingContext } from "./middleware/branding";
import { requestContext } from "./middleware/context";
import { csrfProtection } from "./middleware/csrf";
import { handleError, handleNotFound } from "./middleware/errors";
import { requestId } from "./middleware/request-id";
import { securityHeaders } from "./middleware/security-headers";
import { loadSession } from "./middleware/session";
import { accountRoutes } from "./routes/account";
import { adminRoutes } from "./routes/admin";
import { demoRoutes } from "./routes/demo";
import { devOutboxRoutes } from "./routes/dev-outbox";
import { emailLoginRoutes } from "./routes/email-login";
import { federationRoutes } from "./routes/federation";
import { federationAccountRoutes } from "./routes/federation-account";
import { loginRoutes } from "./routes/login";
import { mfaRoutes } from "./routes/mfa";
import { miscRoutes } from "./routes/misc";
import { authorizeRoutes, consentRoutes } from "./routes/oidc/authorize";
import { discoveryRoutes } from "./routes/oidc/discovery";
import { logoutConfirmRoutes, rpLogoutRoutes } from "./routes/oidc/logout";
import { parRoutes, resourceRoutes } from "./routes/oidc/resource";
import { tokenPostRoute, tokenRoutes } from "./routes/oidc/token";
import { passkeyRoutes } from "./routes/passkeys";
import { passwordResetRoutes } from "./routes/password-reset";
import { profileRoutes } from "./routes/profile";
import { pushRoutes } from "./routes/push";
import { registerRoutes } from "./routes/register";
import { riskActivityRoutes } from "./routes/risk-activity";
import { riskReportRoutes } from "./routes/risk-report";
import { signupRoutes } from "./routes/signup";
import { signupEmailRoutes } from "./routes/signup-email";
import { signupSmsRoutes } from "./routes/signup-sms";
import { smsRoutes } from "./routes/sms";
import { totpRoutes } from "./routes/totp";
import { verifyRoutes } from "./routes/verify";
import { verifyPhoneRoutes } from "./routes/verify-phone";
import { verifyRequiredRoutes } from "./routes/verify-required";
import { isFederationCallbackPath } from "./services/federation/identity-providers";

/**
 * POST /authorize and a POST /logout from another origin come from relying parties, not from our forms;
 * an upstream identity provider's form_post callback (Apple) comes from the provider and is checked by its
 * single-use, browser-bound `state` instead.
 */
function isCrossSiteProtocolRequest(c: Context<AppEnv>): boolean {
  if (c.req.method !== "POST") return false;
  if (isFederationCallbackPath(c.req.path)) return true;
  return c.req.path === "/authorize" || (c.req.path === "/logout" && c.req.header("origin") !== c.get("config").issuerOrigin);
}

/** Builds the Worker's Hono app: middleware in order, then the route groups. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Public documents and the token endpoint first: nothing below (request log, nonce, body limit,
  // per-request deps) concerns them, or they do it themselves (routes/oidc/token-http.ts).
  app.route("/", discoveryRoutes);
  app.route("/", tokenPostRoute);
  app.use(requestId, securityHeaders);
  // Oversized bodies are refused with 413 before anything parses them.
  const limits = new Map<number, MiddlewareHandler<AppEnv>>();
  app.use(async (c, next) => {
    const maxSize = loadConfig(c.env as unknown as Record<string, unknown>).maxBodyBytes;
    let limit = limits.get(maxSize);
    if (!limit) {
      limit = bodyLimit({
        maxSize,
        onError: () => {
          throw new HTTPException(413, { message: "request body too large" });
        },
      });
      limits.set(maxSize, limit);
    }
    return limit(c, next);
  });
  app.use(requestContext);
  // Machine-to-machine surfaces: bearer tokens and client authentication, no cookies, no CSRF.
  app.route("/", adminRoutes);
  app.route("/", registerRoutes);
  app.route("/", tokenRoutes);
  app.route("/", resourceRoutes);
  app.route("/", parRoutes);
  // Browser surfaces from here on.
  const browserOnly =
    (middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
    (c, next) =>
      isApiPath(c.req.path) ? next() : middleware(c, next);
  app.use(browserOnly(loadSession));
  const developmentOnly: MiddlewareHandler<AppEnv> = async (c, next) => (c.get("config").environment === "development" ? next() : handleNotFound(c));
  app.use("/dev/*", developmentOnly);
  app.route("/", devOutboxRoutes);
  app.use("/demo", developmentOnly);
  app.use("/demo/*", developmentOnly);
  app.route(
    "/",
    demoRoutes(async (request, c) => app.fetch(request, c.env, c.executionCtx)),
  );
  // Every form of ours is CSRF-checked; requests other sites send on purpose (authorization requests,
  // RP-initiated logout) cannot carry our token and are exempt: they change nothing without a confirmation.
  app.use(browserOnly((c, next) => (isCrossSiteProtocolRequest(c) ? next() : csrfProtection(c, next))));
  app.use(brandingContext);
  app.route("/", authorizeRoutes);
  app.route("/", rpLogoutRoutes);
  app.route("/", miscRoutes);
  app.route("/", signupRoutes);
  app.route("/", signupEmailRoutes);
  app.route("/", signupSmsRoutes);
  app.route("/", verifyRoutes);
  app.route("/", verifyRequiredRoutes);
  app.route("/", verifyPhoneRoutes);
  app.route("/", loginRoutes);
  app.route("/", mfaRoutes);
  app.route("/", passkeyRoutes);
  app.route("/", totpRoutes);
  app.route("/", emailLoginRoutes);
  app.route("/", smsRoutes);
  app.route("/", pushRoutes);
  app.route("/", passwordResetRoutes);
  app.route("/", federationRoutes);
  app.route("/", federationAccountRoutes);
  app.route("/", profileRoutes);
  app.route("/", riskReportRoutes);
  app.route("/", riskActivityRoutes);
  app.route("/", accountRoutes);
  app.route("/", consentRoutes);
  app.route("/", logoutConfirmRoutes);
  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}

import { auditRoutes } from "./audit-events";
import { requireAdminToken } from "./auth";
import { brandingAdminRoutes } from "./branding";
import { clientRoutes } from "./clients";
import { identityProviderRoutes } from "./identity-providers";
import { keyRoutes } from "./keys";
import { mfaAdminRoutes } from "./mfa";
import { adminApp } from "./problems";
import { profileSchemaRoutes } from "./profile-schema";
import { riskEvaluateRoutes } from "./risk-evaluate";
import { riskEventRoutes } from "./risk-events";
import { riskSettingsRoutes } from "./risk-settings";
import { sessionRoutes } from "./sessions";
import { userRoutes } from "./users";

/** Where the OpenAPI 3.1 document is served; the only admin path that needs no token (it holds no data). */
export const OPENAPI_PATH = "/admin/v1/openapi.json";

/** The admin API (`/admin/v1/*`): bearer-token authentication, problem details for every error, an OpenAPI document. */
export const adminRoutes = adminApp();

adminRoutes.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
  type: "http",
  scheme: "bearer",
  description: "The deployment's `ADMIN_API_TOKEN` secret.",
});

adminRoutes.use("/admin/*", async (c, next) => (c.req.path === OPENAPI_PATH ? next() : requireAdminToken(c, next)));
adminRoutes.route("/", userRoutes);
adminRoutes.route("/", sessionRoutes);
adminRoutes.route("/", auditRoutes);
adminRoutes.route("/", clientRoutes);
adminRoutes.route("/", keyRoutes);
adminRoutes.route("/", mfaAdminRoutes);
adminRoutes.route("/", identityProviderRoutes);
adminRoutes.route("/", brandingAdminRoutes);
adminRoutes.route("/", profileSchemaRoutes);
adminRoutes.route("/", riskSettingsRoutes);
adminRoutes.route("/", riskEvaluateRoutes);
adminRoutes.route("/", riskEventRoutes);

let document: ReturnType<typeof adminRoutes.getOpenAPI31Document> | undefined;

adminRoutes.get(OPENAPI_PATH, (c) => {
  // Built once per isolate: the routes cannot change while it runs.
  document ??= adminRoutes.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Gatehouse Admin API",
      version: "1.0.0",
      description:
        "Manage users, their sessions, factors and OAuth clients, the MFA and risk policies, and read the audit log and risk decisions. Errors are RFC 9457 problem details. See docs/admin-api.md and docs/clients.md.",
    },
    security: [{ adminToken: [] }],
  });
  return c.json(document, 200);
});

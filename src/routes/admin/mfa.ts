import { createRoute, z } from "@hono/zod-openapi";
import { deleteUserFactor, type FactorSummary, listUserFactors, resetUserMfa } from "../../services/admin-mfa";
import { ADMIN_ACTOR } from "../../services/admin-outcome";
import { MFA_POLICIES } from "../../services/auth/mfa-policies";
import { globalMfaPolicy, setGlobalMfaPolicy } from "../../services/auth/mfa-policy";
import { adminApp, jsonBodyOnly, problems, unwrap } from "./problems";
import { Id, UserIdParams } from "./schemas";

const tags = ["Multi-factor authentication"];
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const MfaSettingsSchema = z
  .strictObject({
    policy: z.enum(MFA_POLICIES).openapi({
      description:
        "When a second factor is asked for: `off` never (unless an app asks with acr_values), `optional` when the user enrolled one, `required` always, `adaptive` on a device the account never used. Apps override it with their `mfa_policy`.",
    }),
  })
  .openapi("MfaSettings");

const FactorSchema = z
  .object({
    id: z.string().openapi({ description: "`passkey_<credential id>`, `push_<id>`, `totp`, `recovery_codes` or `phone`." }),
    type: z.enum(["passkey", "totp", "recovery_codes", "phone", "push"]),
    name: z.string().nullable(),
    created_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi("Factor");

const FactorParams = UserIdParams.extend({
  factor_id: Id.openapi({ param: { name: "factor_id", in: "path" }, description: "Factor id from the user's factor list." }),
});

const getSettingsRoute = createRoute({
  method: "get",
  path: "/admin/v1/settings/mfa",
  tags,
  summary: "Read the global MFA policy",
  responses: { 200: { description: "The policy.", content: { "application/json": { schema: MfaSettingsSchema } } } },
});

const putSettingsRoute = createRoute({
  method: "put",
  path: "/admin/v1/settings/mfa",
  tags,
  summary: "Set the global MFA policy",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, content: { "application/json": { schema: MfaSettingsSchema } } } },
  responses: { 200: { description: "The policy now in force.", content: { "application/json": { schema: MfaSettingsSchema } } }, ...problems(400, 415) },
});

const listRoute = createRoute({
  method: "get",
  path: "/admin/v1/users/{id}/factors",
  tags,
  summary: "List a user's second factors and passkeys",
  request: { params: UserIdParams },
  responses: {
    200: { description: "Enrolled factors (never a secret).", content: { "application/json": { schema: z.object({ factors: z.array(FactorSchema) }) } } },
    ...problems(400, 404),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/v1/users/{id}/factors/{factor_id}",
  tags,
  summary: "Remove one factor",
  description: "The user is told by email; the audit log records it.",
  request: { params: FactorParams },
  responses: { 204: { description: "Removed." }, ...problems(400, 404) },
});

const resetRoute = createRoute({
  method: "post",
  path: "/admin/v1/users/{id}/mfa/reset",
  tags,
  summary: "Reset a user's MFA",
  description: "Removes the user's passkeys, authenticator app, recovery codes and push devices at once; the user is told by email; audited.",
  request: { params: UserIdParams },
  responses: { 204: { description: "Reset." }, ...problems(400, 404) },
});

function factorJson(factor: FactorSummary): z.infer<typeof FactorSchema> {
  return {
    id: factor.id,
    type: factor.type,
    name: factor.name,
    created_at: iso(factor.createdAt),
    last_used_at: iso(factor.lastUsedAt),
    details: factor.details,
  };
}

/** Routes for the MFA policy and a user's factors. */
export const mfaAdminRoutes = adminApp()
  .openapi(getSettingsRoute, async (c) => c.json({ policy: await globalMfaPolicy(c.get("deps")) }, 200))
  .openapi(putSettingsRoute, async (c) => {
    const { policy } = c.req.valid("json");
    const deps = c.get("deps");
    await setGlobalMfaPolicy(deps, policy);
    await deps.audit.record({ type: "admin.settings_updated", outcome: "success", ...ADMIN_ACTOR, details: { mfa_policy: policy } }, c.get("request"));
    return c.json({ policy }, 200);
  })
  .openapi(listRoute, async (c) => {
    const factors = unwrap(c, await listUserFactors(c.get("deps"), c.req.valid("param").id));
    return c.json({ factors: factors.map(factorJson) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id, factor_id } = c.req.valid("param");
    unwrap(c, await deleteUserFactor(c.get("deps"), id, factor_id, c.get("request")));
    return c.body(null, 204);
  })
  .openapi(resetRoute, async (c) => {
    unwrap(c, await resetUserMfa(c.get("deps"), c.req.valid("param").id, c.get("request")));
    return c.body(null, 204);
  });

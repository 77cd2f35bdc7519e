import { createRoute, z } from "@hono/zod-openapi";
import { ADMIN_ACTOR } from "../../services/admin-outcome";
import { DEFAULT_RISK_POLICY, globalRiskPolicy, RiskSettingsSchema, setGlobalRiskPolicy, toSettings } from "../../services/risk/policy";
import { adminApp, jsonBodyOnly, problems } from "./problems";

const tags = ["Risk engine"];

/**
 * The wire form is services/risk/policy.ts's `RiskSettingsSchema`, rebuilt from its shape so it can carry
 * OpenAPI metadata (see client-schemas.ts for why); its rules between fields still come from it alone.
 */
const RiskSettingsWire = z
  .strictObject(RiskSettingsSchema.shape)
  .superRefine((value, ctx) => {
    // The field checks ran already (same shape): only the rules between fields are added.
    const checked = RiskSettingsSchema.safeParse(value);
    for (const issue of checked.error?.issues ?? [])
      if (issue.code === "custom") ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, params: { code: "thresholds_inverted" } });
  })
  .openapi("RiskSettings", {
    description:
      "The global risk policy. Scores run 0–100; `step_up_at` (a second factor under the `adaptive` MFA policy) must not exceed `deny_at` (refused under every MFA policy); 101 switches a threshold off. `turnstile_at`: source score from which a configured Turnstile challenge is shown. `notify_new_device`: email the owner about logins from a new device. `surge_*_per_minute`: service-wide rates that count as a surge. `hosting_asns`/`anonymizer_asns`: ASNs added to the bundled lists. Every field is required; unknown fields are refused.",
    example: toSettings(DEFAULT_RISK_POLICY),
  });

const getRoute = createRoute({
  method: "get",
  path: "/admin/v1/settings/risk",
  tags,
  summary: "Read the global risk policy",
  description: "The defaults until an operator sets one.",
  responses: { 200: { description: "The policy in force.", content: { "application/json": { schema: RiskSettingsWire } } } },
});

const putRoute = createRoute({
  method: "put",
  path: "/admin/v1/settings/risk",
  tags,
  summary: "Set the global risk policy",
  description: "Applies to the next login (other isolates pick it up within 10 seconds); apps override the thresholds with their `risk_policy`. Audited.",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, content: { "application/json": { schema: RiskSettingsWire } } } },
  responses: { 200: { description: "The policy now in force.", content: { "application/json": { schema: RiskSettingsWire } } }, ...problems(400, 413, 415) },
});

/** Routes for the global risk policy. */
export const riskSettingsRoutes = adminApp()
  .openapi(getRoute, async (c) => c.json(toSettings(await globalRiskPolicy(c.get("deps"))), 200))
  .openapi(putRoute, async (c) => {
    const settings = c.req.valid("json");
    const deps = c.get("deps");
    await setGlobalRiskPolicy(deps, settings);
    await deps.audit.record({ type: "admin.settings_updated", outcome: "success", ...ADMIN_ACTOR, details: { risk_policy: settings } }, c.get("request"));
    return c.json(settings, 200);
  });

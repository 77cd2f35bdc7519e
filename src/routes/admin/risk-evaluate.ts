import { createRoute, z } from "@hono/zod-openapi";
import { validIp } from "../../lib/client-ip";
import { FACTOR_KINDS, type FactorKind } from "../../services/auth/methods";
import { evaluateWhatIf } from "../../services/risk/evaluate";
import { RISK_REASONS, type RiskReasonCode } from "../../services/risk/vocabulary";
import { adminApp, jsonBodyOnly, problems, unwrap } from "./problems";
import { Id } from "./schemas";

const tags = ["Risk engine"];
const REASON_CODES = Object.keys(RISK_REASONS) as [RiskReasonCode, ...RiskReasonCode[]];

const WhatIfSchema = z
  .strictObject({
    user_id: Id.openapi({ description: "The account that would log in." }),
    ip: z
      .string()
      .refine((value) => validIp(value) === value, { message: "must be an IPv4 or IPv6 address" })
      .openapi({ description: "The source address (`CF-Connecting-IP`); its failure counts are read.", example: "203.0.113.7" }),
    cf: z.record(z.string(), z.unknown()).openapi({
      description:
        "What Cloudflare would put in `request.cf`: `country`, `city`, `latitude`, `longitude`, `timezone`, `asn`, `asOrganization`, `tlsVersion`, `tlsCipher`, `botManagement.score`, `botManagement.ja3Hash`, `botManagement.ja4`. Missing or malformed fields count as unknown, as in a real request.",
      example: { country: "FR", city: "Lyon", latitude: 45.76, longitude: 4.84, timezone: "Europe/Paris", asn: 3215 },
    }),
    device_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{22}$/, { message: "must be the part of the __Host-gh_device cookie before its first dot" })
      .optional()
      .openapi({ description: "The browser's device id: the `__Host-gh_device` cookie up to its first dot. Absent: a browser without one (a new device)." }),
    user_agent: z
      .string()
      .max(512)
      .optional()
      .openapi({ description: "The browser's `User-Agent`; its browser and system family are compared with the device's." }),
    time: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "ISO 8601; replaces now (travel speed, hour of day, dormancy, 24-hour marks, failure windows). Default: now." }),
    client_id: Id.optional().openapi({ description: "The app the login would be for: its `risk_policy` thresholds apply." }),
    first_factor: z
      .enum(FACTOR_KINDS as [FactorKind, ...FactorKind[]])
      .optional()
      .openapi({
        description:
          "How the user would prove who they are (`passkey` mitigates). Account and source failures count for `password` and when absent, as in a real password login.",
      }),
  })
  .openapi("RiskWhatIf");

const ReasonSchema = z
  .object({
    code: z.enum(REASON_CODES),
    message: z.string(),
    points: z.number().int().openapi({ description: "What the reason adds to the score; negative points mitigate." }),
  })
  .openapi("RiskReason");

export const RiskAssessmentSchema = z
  .object({
    decision: z.enum(["allow", "step_up", "deny"]),
    score: z.number().int().min(0).max(100),
    reasons: z.array(ReasonSchema).openapi({ description: "Highest points first." }),
    signals: z
      .record(z.string(), z.unknown())
      .openapi({ description: "What each signal module saw: device, place, network, velocity, credentials, behaviour." }),
  })
  .openapi("RiskAssessment");

const evaluateRoute = createRoute({
  method: "post",
  path: "/admin/v1/risk/evaluate",
  tags,
  summary: "What would the risk engine decide?",
  description:
    "Scores a described login of a user with the policy in force and the account's real history and counters, without any side effect: nothing is stored, counted or audited.",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, content: { "application/json": { schema: WhatIfSchema } } } },
  responses: {
    200: { description: "The decision, its score and its reasons.", content: { "application/json": { schema: RiskAssessmentSchema } } },
    ...problems(400, 404, 413, 415),
  },
});

/** The what-if route of the risk engine. */
export const riskEvaluateRoutes = adminApp().openapi(evaluateRoute, async (c) => {
  const body = c.req.valid("json");
  const assessment = unwrap(
    c,
    await evaluateWhatIf(c.get("deps"), {
      userId: body.user_id,
      ip: body.ip,
      cf: body.cf,
      deviceId: body.device_id ?? null,
      userAgent: body.user_agent ?? null,
      time: body.time === undefined ? null : Date.parse(body.time),
      clientId: body.client_id ?? null,
      firstFactor: body.first_factor ?? null,
    }),
  );
  return c.json(
    {
      decision: assessment.decision,
      score: assessment.score,
      reasons: assessment.reasons.map((item) => ({ code: item.code, message: item.message, points: item.points })),
      signals: assessment.signals as unknown as Record<string, unknown>,
    },
    200,
  );
});

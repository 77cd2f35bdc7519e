import { createRoute, z } from "@hono/zod-openapi";
import { listRiskEvents } from "../../services/admin-risk-events";
import type { RiskEventRow } from "../../storage/schema";
import { adminApp, problems, unwrap } from "./problems";
import { Cursor, Id, Limit } from "./schemas";

const DECISIONS = ["allow", "step_up", "deny"] as const;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const time = (description: string) => z.string().openapi({ format: "date-time", description });

const RiskEventQuery = z.strictObject({
  limit: Limit,
  cursor: Cursor,
  user_id: Id.optional().openapi({ param: { name: "user_id", in: "query" }, description: "Only this account's logins." }),
  decision: z
    .enum(DECISIONS)
    .optional()
    .openapi({ param: { name: "decision", in: "query" }, description: "Only logins with this decision." }),
});

const RiskEventSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    client_id: z.string().nullable().openapi({ description: "The app the login was for, when it came through /authorize." }),
    decision: z.enum(DECISIONS),
    score: z.number().int().min(0).max(100),
    reasons: z.array(z.object({ code: z.string(), message: z.string(), points: z.number().int() })).openapi({ description: "Highest points first." }),
    signals: z.record(z.string(), z.unknown()).openapi({ description: "What each signal module saw, as the engine saw it." }),
    ip: z.string().nullable(),
    country: z.string().nullable(),
    city: z.string().nullable(),
    device: z.string().nullable().openapi({ description: "Browser and system family, e.g. `Firefox on Windows`." }),
    factor: z.string().openapi({ description: "The first factor (`password`, `passkey`, …)." }),
    session_id: z.string().nullable().openapi({ description: "The session the login started; null while a second factor is pending, or when denied." }),
    reported_at: time("When the owner said “this wasn't me”.").nullable(),
    created_at: time("When the decision was made."),
  })
  .openapi("RiskEvent");

const RiskEventListSchema = z
  .object({
    events: z.array(RiskEventSchema).openapi({ description: "Newest first." }),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next (older) page; `null` on the last page." }),
  })
  .openapi("RiskEventList");

const listRoute = createRoute({
  method: "get",
  path: "/admin/v1/risk-events",
  tags: ["Risk engine"],
  summary: "Read the risk decisions",
  description: "Every login's risk decision with its score, reasons and signals. Newest first, a page at a time; paging is stable while new decisions arrive.",
  request: { query: RiskEventQuery },
  responses: { 200: { description: "A page of decisions.", content: { "application/json": { schema: RiskEventListSchema } } }, ...problems(400) },
});

function riskEventJson(event: RiskEventRow): z.infer<typeof RiskEventSchema> {
  return {
    id: event.id,
    user_id: event.userId,
    client_id: event.clientId,
    decision: event.decision,
    score: event.score,
    reasons: event.reasons,
    signals: event.signals,
    ip: event.ip,
    country: event.country,
    city: event.city,
    device: event.device,
    factor: event.factor,
    session_id: event.sessionId,
    reported_at: iso(event.reportedAt),
    created_at: new Date(event.createdAt).toISOString(),
  };
}

/** Routes for the stored risk decisions. */
export const riskEventRoutes = adminApp().openapi(listRoute, async (c) => {
  const query = c.req.valid("query");
  const page = unwrap(
    c,
    await listRiskEvents(c.get("deps"), { limit: query.limit, cursor: query.cursor, userId: query.user_id, decision: query.decision }),
    "query",
  );
  return c.json({ events: page.items.map(riskEventJson), next_cursor: page.nextCursor }, 200);
});

import { createRoute, z } from "@hono/zod-openapi";
import { listAuditEvents } from "../../services/admin-audit";
import { adminApp, problems, unwrap } from "./problems";
import { AuditEventListSchema, Cursor, Id, Limit } from "./schemas";
import { auditEventJson } from "./wire";

const AuditQuery = z.strictObject({
  limit: Limit,
  cursor: Cursor,
  user_id: Id.optional().openapi({ param: { name: "user_id", in: "query" }, description: "Only events about this account." }),
  type: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, "must be an event type such as admin.user_created")
    .max(64)
    .optional()
    .openapi({ param: { name: "type", in: "query" }, description: "Only events of this type.", example: "user.login" }),
});

const listRoute = createRoute({
  method: "get",
  path: "/admin/v1/audit-events",
  tags: ["Audit"],
  summary: "Read the audit log",
  description: "Newest first, a page at a time; paging is stable while new events arrive.",
  request: { query: AuditQuery },
  responses: { 200: { description: "A page of events.", content: { "application/json": { schema: AuditEventListSchema } } }, ...problems(400) },
});

/** Routes for the audit log. */
export const auditRoutes = adminApp().openapi(listRoute, async (c) => {
  const query = c.req.valid("query");
  const page = unwrap(c, await listAuditEvents(c.get("deps"), { limit: query.limit, cursor: query.cursor, userId: query.user_id, type: query.type }), "query");
  return c.json({ events: page.items.map(auditEventJson), next_cursor: page.nextCursor }, 200);
});

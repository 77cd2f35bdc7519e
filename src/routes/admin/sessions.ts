import { createRoute } from "@hono/zod-openapi";
import { listUserSessions, revokeUserSession, revokeUserSessions } from "../../services/admin-sessions";
import { adminApp, problems, unwrap } from "./problems";
import { Id, RevokedSessionsSchema, SessionListSchema, UserIdParams } from "./schemas";
import { sessionJson } from "./wire";

const tags = ["Sessions"];

const SessionParams = UserIdParams.extend({
  session_id: Id.openapi({ param: { name: "session_id", in: "path" }, description: "Session id from the user's session list." }),
});

const listRoute = createRoute({
  method: "get",
  path: "/admin/v1/users/{id}/sessions",
  tags,
  summary: "List a user's active sessions",
  request: { params: UserIdParams },
  responses: {
    200: { description: "Active sessions, newest first.", content: { "application/json": { schema: SessionListSchema } } },
    ...problems(400, 404),
  },
});

const revokeAllRoute = createRoute({
  method: "delete",
  path: "/admin/v1/users/{id}/sessions",
  tags,
  summary: "End all of a user's sessions",
  request: { params: UserIdParams },
  responses: {
    200: { description: "How many sessions ended.", content: { "application/json": { schema: RevokedSessionsSchema } } },
    ...problems(400, 404),
  },
});

const revokeOneRoute = createRoute({
  method: "delete",
  path: "/admin/v1/users/{id}/sessions/{session_id}",
  tags,
  summary: "End one session",
  description: "The session stops working at once, at every edge location.",
  request: { params: SessionParams },
  responses: { 204: { description: "Ended." }, ...problems(400, 404) },
});

/** Routes for a user's sessions. */
export const sessionRoutes = adminApp()
  .openapi(listRoute, async (c) => {
    const sessions = unwrap(c, await listUserSessions(c.get("deps"), c.req.valid("param").id));
    return c.json({ sessions: sessions.map(sessionJson) }, 200);
  })
  .openapi(revokeAllRoute, async (c) => c.json({ revoked: unwrap(c, await revokeUserSessions(c.get("deps"), c.req.valid("param").id, c.get("request"))) }, 200))
  .openapi(revokeOneRoute, async (c) => {
    const { id, session_id } = c.req.valid("param");
    unwrap(c, await revokeUserSession(c.get("deps"), id, session_id, c.get("request")));
    return c.body(null, 204);
  });

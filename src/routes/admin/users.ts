import { createRoute, z } from "@hono/zod-openapi";
import { createUser, deleteUser, getUser, listUsers, setUserStatus, updateUser } from "../../services/admin-users";
import { adminApp, jsonBodyOnly, problems, unwrap } from "./problems";
import { Cursor, Limit, NewUserSchema, UserChangesSchema, UserIdParams, UserListSchema, UserSchema } from "./schemas";
import { userJson } from "./wire";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["Users"];

const ListUsersQuery = z.strictObject({
  limit: Limit,
  cursor: Cursor,
  email: z
    .string()
    .max(254)
    .optional()
    .openapi({
      param: { name: "email", in: "query" },
      description: "Find the one account with this address (normalized like stored ones).",
      example: "ann@example.com",
    }),
  q: z
    .string()
    .min(1)
    .max(254)
    .optional()
    .openapi({ param: { name: "q", in: "query" }, description: "Accounts whose address contains this text.", example: "@example.com" }),
});

const listRoute = createRoute({
  method: "get",
  path: "/admin/v1/users",
  tags,
  summary: "List or search users",
  description: "Accounts in a stable order, a page at a time. `email` finds one account by its address; `q` searches within addresses.",
  request: { query: ListUsersQuery },
  responses: { 200: { description: "A page of users.", ...json(UserListSchema) }, ...problems(400) },
});

const createUserRoute = createRoute({
  method: "post",
  path: "/admin/v1/users",
  tags,
  summary: "Create a user",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, ...json(NewUserSchema) } },
  responses: {
    201: { description: "The new user; `Location` names it.", headers: { Location: { schema: { type: "string" } } }, ...json(UserSchema) },
    ...problems(400, 409, 413, 415),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/admin/v1/users/{id}",
  tags,
  summary: "Get a user",
  request: { params: UserIdParams },
  responses: { 200: { description: "The user.", ...json(UserSchema) }, ...problems(400, 404) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/admin/v1/users/{id}",
  tags,
  summary: "Change a user",
  middleware: [jsonBodyOnly] as const,
  request: { params: UserIdParams, body: { required: true, ...json(UserChangesSchema) } },
  responses: { 200: { description: "The user after the change.", ...json(UserSchema) }, ...problems(400, 404, 409, 413, 415) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/v1/users/{id}",
  tags,
  summary: "Delete a user",
  description: "Ends every session and deletes the account with its credentials and tokens. The audit trail is kept.",
  request: { params: UserIdParams },
  responses: { 204: { description: "Deleted." }, ...problems(400, 404) },
});

const statusRoute = (action: "disable" | "enable") =>
  createRoute({
    method: "post",
    path: `/admin/v1/users/{id}/${action}`,
    tags,
    summary: action === "disable" ? "Disable a user" : "Enable a user",
    description: action === "disable" ? "No login succeeds afterwards, and every session ends at once." : "Allows logins again; ended sessions stay ended.",
    request: { params: UserIdParams },
    responses: { 200: { description: "The user with its new status.", ...json(UserSchema) }, ...problems(400, 404) },
  });

/** Routes for `/admin/v1/users` and one user. */
export const userRoutes = adminApp()
  .openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const page = unwrap(c, await listUsers(c.get("deps"), query), "query");
    return c.json({ users: page.items.map(userJson), next_cursor: page.nextCursor }, 200);
  })
  .openapi(createUserRoute, async (c) => {
    const body = c.req.valid("json");
    const user = unwrap(
      c,
      await createUser(
        c.get("deps"),
        { email: body.email, password: body.password, emailVerified: body.email_verified, name: body.name, locale: body.locale },
        c.get("request"),
      ),
    );
    return c.json(userJson(user), 201, { Location: `/admin/v1/users/${encodeURIComponent(user.id)}` });
  })
  .openapi(getRoute, async (c) => c.json(userJson(unwrap(c, await getUser(c.get("deps"), c.req.valid("param").id))), 200))
  .openapi(patchRoute, async (c) => {
    const body = c.req.valid("json");
    const changes = { email: body.email, password: body.password, emailVerified: body.email_verified, name: body.name, locale: body.locale };
    const user = unwrap(c, await updateUser(c.get("deps"), c.req.valid("param").id, changes, c.get("request")));
    return c.json(userJson(user), 200);
  })
  .openapi(deleteRoute, async (c) => {
    unwrap(c, await deleteUser(c.get("deps"), c.req.valid("param").id, c.get("request")));
    return c.body(null, 204);
  })
  .openapi(statusRoute("disable"), async (c) =>
    c.json(userJson(unwrap(c, await setUserStatus(c.get("deps"), c.req.valid("param").id, "disabled", c.get("request")))), 200),
  )
  .openapi(statusRoute("enable"), async (c) =>
    c.json(userJson(unwrap(c, await setUserStatus(c.get("deps"), c.req.valid("param").id, "active", c.get("request")))), 200),
  );

import { createRoute, z } from "@hono/zod-openapi";
import { createClient, createInitialAccessToken, deleteClient, getClient, listClients, rotateClientSecret, updateClient } from "../../services/admin-clients";
import { clientInformation } from "../client-information";
import {
  ClientChangesSchema,
  ClientIdParams,
  ClientListSchema,
  ClientSchema,
  InitialAccessTokenSchema,
  NewClientSchema,
  NewInitialAccessTokenSchema,
} from "./client-schemas";
import { adminApp, jsonBodyOnly, problems, unwrap } from "./problems";
import { Cursor, Limit, ProblemSchema } from "./schemas";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["Clients"];
const noSecret409 = {
  409: {
    description: "The client has no secret (`token_endpoint_auth_method` is `none` or `private_key_jwt`).",
    content: { "application/problem+json": { schema: ProblemSchema } },
  },
};

const listRoute = createRoute({
  method: "get",
  path: "/admin/v1/clients",
  tags,
  summary: "List clients",
  description: "Clients in a stable order (by id), a page at a time.",
  request: { query: z.strictObject({ limit: Limit, cursor: Cursor }) },
  responses: { 200: { description: "A page of clients.", ...json(ClientListSchema) }, ...problems(400) },
});

const createClientRoute = createRoute({
  method: "post",
  path: "/admin/v1/clients",
  tags,
  summary: "Register a client",
  description: "A confidential client using `client_secret_basic` or `client_secret_post` gets `client_secret` in this response only.",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, ...json(NewClientSchema) } },
  responses: {
    201: { description: "The new client; `Location` names it.", headers: { Location: { schema: { type: "string" } } }, ...json(ClientSchema) },
    ...problems(400, 413, 415),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/admin/v1/clients/{client_id}",
  tags,
  summary: "Get a client",
  request: { params: ClientIdParams },
  responses: { 200: { description: "The client (never its secret).", ...json(ClientSchema) }, ...problems(400, 404) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/admin/v1/clients/{client_id}",
  tags,
  summary: "Change a client",
  description: "Moving to a secret method issues a secret (in this response); moving away from one deletes it.",
  middleware: [jsonBodyOnly] as const,
  request: { params: ClientIdParams, body: { required: true, ...json(ClientChangesSchema) } },
  responses: { 200: { description: "The client after the change.", ...json(ClientSchema) }, ...problems(400, 404, 413, 415) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/v1/clients/{client_id}",
  tags,
  summary: "Delete a client",
  description: "The client can no longer authenticate; its refresh tokens are revoked. Issued access tokens run out on their own.",
  request: { params: ClientIdParams },
  responses: { 204: { description: "Deleted." }, ...problems(400, 404) },
});

const rotateRoute = createRoute({
  method: "post",
  path: "/admin/v1/clients/{client_id}/secret",
  tags,
  summary: "Rotate a client's secret",
  description: "Issues a new secret, shown once; the old one stops working at once.",
  request: { params: ClientIdParams },
  responses: { 200: { description: "The client with its new `client_secret`.", ...json(ClientSchema) }, ...problems(400, 404), ...noSecret409 },
});

const initialAccessTokenRoute = createRoute({
  method: "post",
  path: "/admin/v1/initial-access-tokens",
  tags,
  summary: "Issue an initial access token for dynamic registration",
  description: "For `POST /register` when `DYNAMIC_REGISTRATION=initial_access_token` (RFC 7591 §3). The body may be empty.",
  request: { body: { required: false, ...json(NewInitialAccessTokenSchema) } },
  responses: { 201: { description: "The token, shown once.", ...json(InitialAccessTokenSchema) }, ...problems(400, 413) },
});

const location = (clientId: string) => ({ Location: `/admin/v1/clients/${encodeURIComponent(clientId)}` });

/** Routes for `/admin/v1/clients`, one client, its secret, and initial access tokens. */
export const clientRoutes = adminApp()
  .openapi(listRoute, async (c) => {
    const page = unwrap(c, await listClients(c.get("deps"), c.req.valid("query")), "query");
    return c.json({ clients: page.items.map((row) => clientInformation(row)), next_cursor: page.nextCursor }, 200);
  })
  .openapi(createClientRoute, async (c) => {
    const { row, secret } = unwrap(c, await createClient(c.get("deps"), c.req.valid("json"), c.get("request")));
    return c.json(clientInformation(row, secret), 201, location(row.clientId));
  })
  .openapi(getRoute, async (c) => c.json(clientInformation(unwrap(c, await getClient(c.get("deps"), c.req.valid("param").client_id))), 200))
  .openapi(patchRoute, async (c) => {
    const { row, secret } = unwrap(c, await updateClient(c.get("deps"), c.req.valid("param").client_id, c.req.valid("json"), c.get("request")));
    return c.json(clientInformation(row, secret), 200);
  })
  .openapi(deleteRoute, async (c) => {
    unwrap(c, await deleteClient(c.get("deps"), c.req.valid("param").client_id, c.get("request")));
    return c.body(null, 204);
  })
  .openapi(rotateRoute, async (c) => {
    const { row, secret } = unwrap(c, await rotateClientSecret(c.get("deps"), c.req.valid("param").client_id, c.get("request")));
    return c.json(clientInformation(row, secret), 200);
  })
  .openapi(initialAccessTokenRoute, async (c) => {
    const body = c.req.valid("json") ?? {};
    const issued = unwrap(
      c,
      await createInitialAccessToken(c.get("deps"), { expiresInSeconds: body.expires_in, singleUse: body.single_use }, c.get("request")),
    );
    return c.json({ initial_access_token: issued.token, expires_at: new Date(issued.expiresAt).toISOString(), single_use: issued.singleUse }, 201);
  });

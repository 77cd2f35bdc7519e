import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { sha256Hex } from "../../src/lib/hashing";
import { authenticateClient } from "../../src/services/oidc/clients";
import { testDeps } from "../helpers/deps";
import { admin, basic, type ClientJson, createClient, WEB_APP } from "./helpers";

const ORIGIN = "http://localhost:8787";
const RP = { client_name: "Dynamic RP", redirect_uris: ["https://rp.example.com/cb"], grant_types: ["authorization_code", "refresh_token"] };

const app = createApp();
const enabledEnv = { ...env, DYNAMIC_REGISTRATION: "initial_access_token" };
const context = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

interface Call {
  method?: string;
  token?: string | null;
  json?: unknown;
  rawBody?: string;
  contentType?: string;
}

/** Calls the app with dynamic registration switched on (or with the test environment's default, off). */
async function call(path: string, request: Call = {}, enabled = true): Promise<Response> {
  const headers = new Headers();
  if (request.token) headers.set("authorization", `Bearer ${request.token}`);
  let body = request.rawBody;
  if (request.json !== undefined) body = JSON.stringify(request.json);
  if (body !== undefined) headers.set("content-type", request.contentType ?? "application/json");
  const init = { method: request.method ?? (body === undefined ? "GET" : "POST"), headers, body };
  return app.fetch(new Request(`${ORIGIN}${path}`, init), enabled ? enabledEnv : env, context);
}

async function initialAccessToken(fields: Record<string, unknown> = {}): Promise<string> {
  const response = await admin("/admin/v1/initial-access-tokens", { json: fields });
  expect(response.status).toBe(201);
  return ((await response.json()) as { initial_access_token: string }).initial_access_token;
}

/** Asserts an RFC 7591 §3.2.2 / RFC 6750 error response and returns its body. */
async function expectOAuthError(response: Response, status: number, error: string): Promise<{ error: string; error_description: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe("string");
  return body;
}

async function register(metadata: Record<string, unknown> = RP): Promise<ClientJson> {
  const response = await call("/register", { token: await initialAccessToken(), json: metadata });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as ClientJson;
}

describe("dynamic registration is off by default", () => {
  it("answers 404 with RFC-style JSON on every /register path, through the deployed app", async () => {
    const token = await initialAccessToken();
    for (const [path, method] of [
      ["/register", "POST"],
      ["/register", "GET"],
      ["/register/some-client", "GET"],
      ["/register/some-client", "PUT"],
      ["/register/some-client", "DELETE"],
    ] as const) {
      const response = await exports.default.fetch(
        new Request(`${ORIGIN}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: method === "POST" || method === "PUT" ? JSON.stringify(RP) : undefined,
        }),
      );
      const body = await expectOAuthError(response, 404, "access_denied");
      expect(body.error_description).toMatch(/not enabled/);
    }
    // The token was not used up by the refused attempt.
    expect((await call("/register", { token, json: RP })).status).toBe(201);
  });
});

describe("POST /register with an initial access token (RFC 7591 §3)", () => {
  it("registers a confidential client: 201, no-store, secret, registration token and URI", async () => {
    const response = await call("/register", { token: await initialAccessToken(), json: { ...RP, contacts: ["ops@rp.example.com"] } });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    const client = (await response.json()) as ClientJson;
    expect(client).toMatchObject({
      ...RP,
      contacts: ["ops@rp.example.com"],
      token_endpoint_auth_method: "client_secret_basic",
      client_secret_expires_at: 0,
      first_party: false,
      registration_client_uri: `${ORIGIN}/register/${client.client_id}`,
    });
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.registration_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await env.DB.prepare("SELECT secret_hash, registration_token_hash FROM clients WHERE client_id = ?")
      .bind(client.client_id)
      .first<{ secret_hash: string; registration_token_hash: string }>();
    expect(row).toEqual({
      secret_hash: await sha256Hex(client.client_secret ?? ""),
      registration_token_hash: await sha256Hex(client.registration_access_token ?? ""),
    });
    const authenticated = await authenticateClient(testDeps(), {
      authorization: basic(client.client_id, client.client_secret ?? ""),
      form: {},
      tokenEndpoint: `${ORIGIN}/token`,
    });
    expect(authenticated.firstParty).toBe(false);
  });

  it("registers a public native client without a secret", async () => {
    const client = await register({
      redirect_uris: ["com.example.app:/oauth", "http://127.0.0.1/cb"],
      token_endpoint_auth_method: "none",
      application_type: "native",
    });
    expect(client.client_secret).toBeUndefined();
    expect(client.application_type).toBe("native");
  });

  it("requires a valid initial access token: missing, wrong, malformed, expired, used", async () => {
    const missing = await call("/register", { json: RP });
    await expectOAuthError(missing, 401, "invalid_token");
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="gatehouse"');
    const wrong = await call("/register", { token: "not-a-real-token", json: RP });
    await expectOAuthError(wrong, 401, "invalid_token");
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer realm="gatehouse", error="invalid_token"');
    const basicAuth = await app.fetch(
      new Request(`${ORIGIN}/register`, {
        method: "POST",
        headers: { authorization: "Basic abc", "content-type": "application/json" },
        body: JSON.stringify(RP),
      }),
      enabledEnv,
      context,
    );
    await expectOAuthError(basicAuth, 401, "invalid_token");

    const expiring = await initialAccessToken();
    await env.DB.prepare("UPDATE initial_access_tokens SET expires_at = ? WHERE token_hash = ?")
      .bind(Date.now() - 1, await sha256Hex(expiring))
      .run();
    await expectOAuthError(await call("/register", { token: expiring, json: RP }), 401, "invalid_token");
  });

  it("uses up a single-use token; a multi-use one serves many registrations until it expires", async () => {
    const single = await initialAccessToken();
    expect((await call("/register", { token: single, json: RP })).status).toBe(201);
    await expectOAuthError(await call("/register", { token: single, json: RP }), 401, "invalid_token");

    const multi = await initialAccessToken({ single_use: false });
    for (let i = 0; i < 3; i++) expect((await call("/register", { token: multi, json: RP })).status).toBe(201);
  });

  it("lets exactly one of two racing registrations use a single-use token", async () => {
    const token = await initialAccessToken();
    const statuses = (await Promise.all([1, 2, 3].map(() => call("/register", { token, json: RP })))).map((response) => response.status).sort();
    expect(statuses).toEqual([201, 401, 401]);
  });

  it("does not use up the token on bad metadata, and says what is wrong (RFC 7591 §3.2.2)", async () => {
    const token = await initialAccessToken();
    const badRedirect = await expectOAuthError(
      await call("/register", { token, json: { ...RP, redirect_uris: ["http://rp.example.com/cb"] } }),
      400,
      "invalid_redirect_uri",
    );
    expect(badRedirect.error_description).toMatch(/^redirect_uris\.0: must use https/);
    await expectOAuthError(await call("/register", { token, json: { ...RP, redirect_uris: ["https://rp.example.com/cb#x"] } }), 400, "invalid_redirect_uri");
    await expectOAuthError(await call("/register", { token, json: { grant_types: ["authorization_code"] } }), 400, "invalid_redirect_uri");
    const unknown = await expectOAuthError(
      await call("/register", { token, json: { ...RP, jwks_uri: "https://rp.example.com/jwks" } }),
      400,
      "invalid_client_metadata",
    );
    expect(unknown.error_description).toBe("jwks_uri: is not a supported client metadata field");
    await expectOAuthError(await call("/register", { token, json: { ...RP, grant_types: ["implicit"] } }), 400, "invalid_client_metadata");
    await expectOAuthError(await call("/register", { token, json: { ...RP, token_endpoint_auth_method: "private_key_jwt" } }), 400, "invalid_client_metadata");
    await expectOAuthError(await call("/register", { token, rawBody: "{not json" }), 400, "invalid_client_metadata");
    await expectOAuthError(await call("/register", { token, json: [RP] }), 400, "invalid_client_metadata");
    await expectOAuthError(await call("/register", { token, rawBody: JSON.stringify(RP), contentType: "text/plain" }), 400, "invalid_client_metadata");
    expect((await call("/register", { token, json: RP })).status).toBe(201);
  });

  it("never registers a first-party client, audiences or API scopes", async () => {
    const token = await initialAccessToken({ single_use: false });
    const firstParty = await expectOAuthError(await call("/register", { token, json: { ...RP, first_party: true } }), 400, "invalid_client_metadata");
    expect(firstParty.error_description).toMatch(/first_party/);
    await expectOAuthError(await call("/register", { token, json: { ...RP, allowed_resources: ["https://api.example.com"] } }), 400, "invalid_client_metadata");
    await expectOAuthError(await call("/register", { token, json: { ...RP, scope: "openid admin:all" } }), 400, "invalid_client_metadata");
  });

  it("checks the token before the body, so an unauthenticated caller learns nothing from it", async () => {
    await expectOAuthError(await call("/register", { json: { redirect_uris: ["bad"] } }), 401, "invalid_token");
  });

  it("answers 405 for other methods on /register", async () => {
    await expectOAuthError(await call("/register", { method: "GET" }), 405, "invalid_request");
  });

  it("records the registration in the audit log", async () => {
    const client = await register();
    const { events } = (await (await admin("/admin/v1/audit-events?type=client.registered&limit=50")).json()) as {
      events: { actor_type: string; details: { client_id: string; fields: string[] } }[];
    };
    expect(events.find((event) => event.details.client_id === client.client_id)).toMatchObject({
      actor_type: "anonymous",
      details: { fields: ["client_name", "redirect_uris", "grant_types"] },
    });
  });
});

describe("client configuration (RFC 7592)", () => {
  it("reads the registration with the registration access token (no secret, same token echoed)", async () => {
    const client = await register();
    const response = await call(`/register/${client.client_id}`, { token: client.registration_access_token });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { client_secret: _secret, ...rest } = client;
    expect(await response.json()).toEqual(rest);
  });

  it("answers 401 for a missing or wrong token, another client's token, an unknown client, and an operator's client", async () => {
    const client = await register();
    const other = await register();
    await expectOAuthError(await call(`/register/${client.client_id}`), 401, "invalid_token");
    await expectOAuthError(await call(`/register/${client.client_id}`, { token: `${client.registration_access_token}x` }), 401, "invalid_token");
    await expectOAuthError(await call(`/register/${client.client_id}`, { token: other.registration_access_token }), 401, "invalid_token");
    await expectOAuthError(await call("/register/no-such-client", { token: client.registration_access_token }), 401, "invalid_token");
    await expectOAuthError(await call(`/register/${client.client_id}`, { token: client.client_secret }), 401, "invalid_token");
    const operators = await createClient(WEB_APP);
    await expectOAuthError(await call(`/register/${operators.client_id}`, { token: client.registration_access_token }), 401, "invalid_token");
    for (const method of ["PUT", "DELETE"]) {
      await expectOAuthError(
        await call(`/register/${client.client_id}`, { method, token: other.registration_access_token, json: { ...RP, client_id: client.client_id } }),
        401,
        "invalid_token",
      );
    }
  });

  it("replaces the metadata on PUT: sent fields set, absent fields back to defaults", async () => {
    const client = await register({ ...RP, client_uri: "https://rp.example.com" });
    const response = await call(`/register/${client.client_id}`, {
      method: "PUT",
      token: client.registration_access_token,
      json: {
        client_id: client.client_id,
        client_secret: client.client_secret,
        redirect_uris: ["https://rp.example.com/new-cb"],
        client_name: "Renamed RP",
        registration_access_token: "ignored",
        registration_client_uri: "ignored",
        client_id_issued_at: 1,
        client_secret_expires_at: 1,
      },
    });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as ClientJson;
    expect(updated).toMatchObject({
      client_id: client.client_id,
      client_name: "Renamed RP",
      redirect_uris: ["https://rp.example.com/new-cb"],
      grant_types: ["authorization_code"],
      registration_access_token: client.registration_access_token,
      client_id_issued_at: client.client_id_issued_at,
    });
    expect(updated.client_uri).toBeUndefined();
    expect(updated.client_secret).toBeUndefined();
    const read = await call(`/register/${client.client_id}`, { token: client.registration_access_token });
    expect(await read.json()).toEqual(updated);
  });

  it("refuses a PUT without the matching client_id, with another client_secret, or with bad metadata; nothing changes", async () => {
    const client = await register();
    const put = (json: Record<string, unknown>) => call(`/register/${client.client_id}`, { method: "PUT", token: client.registration_access_token, json });
    await expectOAuthError(await put(RP), 400, "invalid_client_metadata");
    await expectOAuthError(await put({ ...RP, client_id: "someone-else" }), 400, "invalid_client_metadata");
    const chosen = await expectOAuthError(await put({ ...RP, client_id: client.client_id, client_secret: "my-own-secret" }), 400, "invalid_client_metadata");
    expect(chosen.error_description).toMatch(/cannot choose its secret/);
    await expectOAuthError(await put({ ...RP, client_id: client.client_id, redirect_uris: ["https://u@rp.example.com/cb"] }), 400, "invalid_redirect_uri");
    await expectOAuthError(await put({ ...RP, client_id: client.client_id, first_party: true }), 400, "invalid_client_metadata");
    const { client_secret: _secret, ...rest } = client;
    expect(await (await call(`/register/${client.client_id}`, { token: client.registration_access_token })).json()).toEqual(rest);
  });

  it("keeps what an operator granted (first_party, audiences, API scopes) across the client's own PUT", async () => {
    const client = await register();
    await admin(`/admin/v1/clients/${client.client_id}`, {
      method: "PATCH",
      json: { first_party: true, allowed_resources: ["https://api.example.com"], scope: "openid orders:read" },
    });
    const response = await call(`/register/${client.client_id}`, {
      method: "PUT",
      token: client.registration_access_token,
      json: { ...RP, client_id: client.client_id, scope: "openid orders:read" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ first_party: true, allowed_resources: ["https://api.example.com"], scope: "openid orders:read" });
  });

  it("a PUT to a public method drops the secret at once", async () => {
    const client = await register();
    const response = await call(`/register/${client.client_id}`, {
      method: "PUT",
      token: client.registration_access_token,
      json: { ...RP, client_id: client.client_id, token_endpoint_auth_method: "none" },
    });
    expect(response.status).toBe(200);
    const secretStillWorks = await authenticateClient(testDeps(), {
      authorization: basic(client.client_id, client.client_secret ?? ""),
      form: {},
      tokenEndpoint: `${ORIGIN}/token`,
    }).then(
      () => true,
      () => false,
    );
    expect(secretStillWorks).toBe(false);
  });

  it("deletes the registration (204); afterwards the token and the client are gone", async () => {
    const client = await register();
    const response = await call(`/register/${client.client_id}`, { method: "DELETE", token: client.registration_access_token });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectOAuthError(await call(`/register/${client.client_id}`, { token: client.registration_access_token }), 401, "invalid_token");
    expect((await admin(`/admin/v1/clients/${client.client_id}`)).status).toBe(404);
    const { events } = (await (await admin("/admin/v1/audit-events?type=client.registration_deleted&limit=50")).json()) as { events: { actor_id: string }[] };
    expect(events.map((event) => event.actor_id)).toContain(client.client_id);
  });
});

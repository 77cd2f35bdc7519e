import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/hashing";
import { authenticateClient } from "../../src/services/oidc/clients";
import { createUser } from "../admin/helpers";
import { testDeps } from "../helpers/deps";
import { admin, basic, type ClientJson, createClient, expectProblem, WEB_APP } from "./helpers";

const TOKEN_ENDPOINT = "http://localhost:8787/token";

/** Whether the token endpoint would accept this Basic secret right now. */
async function secretWorks(clientId: string, secret: string): Promise<boolean> {
  return authenticateClient(testDeps(), { authorization: basic(clientId, secret), form: {}, tokenEndpoint: TOKEN_ENDPOINT }).then(
    () => true,
    () => false,
  );
}

async function patch(clientId: string, json: Record<string, unknown>): Promise<Response> {
  return admin(`/admin/v1/clients/${clientId}`, { method: "PATCH", json });
}

async function auditOf(clientId: string): Promise<{ type: string; details: Record<string, unknown> | null; actor_type: string }[]> {
  const response = await admin("/admin/v1/audit-events?limit=200");
  const { events } = (await response.json()) as { events: { type: string; details: Record<string, unknown> | null; actor_type: string }[] };
  return events.filter((event) => event.details?.client_id === clientId);
}

describe("POST /admin/v1/clients", () => {
  it("answers 201 with Location, client_id, the secret once, client_id_issued_at and the metadata with defaults", async () => {
    const response = await admin("/admin/v1/clients", { json: WEB_APP });
    expect(response.status).toBe(201);
    const client = (await response.json()) as ClientJson;
    expect(response.headers.get("location")).toBe(`/admin/v1/clients/${client.client_id}`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(client).toMatchObject({
      ...WEB_APP,
      client_secret_expires_at: 0,
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      first_party: false,
      id_token_signed_response_alg: "RS256",
      post_logout_redirect_uris: [],
      allowed_resources: [],
    });
    expect(Math.abs(client.client_id_issued_at - Date.now() / 1000)).toBeLessThan(60);
    expect(await secretWorks(client.client_id, client.client_secret ?? "")).toBe(true);
  });

  it("issues client ids of at least 128 random bits, all different", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await createClient()).client_id);
    expect(ids.size).toBe(5);
    for (const id of ids) expect(id.length).toBeGreaterThanOrEqual(22);
  });

  it("issues no secret to public clients or private_key_jwt clients", async () => {
    const spa = await createClient({ client_name: "SPA", redirect_uris: ["http://localhost:5173/cb"], token_endpoint_auth_method: "none" });
    expect(spa.client_secret).toBeUndefined();
    const row = await env.DB.prepare("SELECT secret_hash FROM clients WHERE client_id = ?").bind(spa.client_id).first<{ secret_hash: string | null }>();
    expect(row?.secret_hash).toBeNull();
  });

  it("refuses invalid metadata with a 400 problem naming each field, and writes nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM clients").first<{ n: number }>();
    const problem = await expectProblem(
      await admin("/admin/v1/clients", {
        json: {
          redirect_uris: ["https://app.example.com/cb#x"],
          grant_types: ["implicit"],
          scope: "openid  email",
          logo_uri: "http://x.example/l.png",
          extra: true,
        },
      }),
      400,
    );
    expect(problem.errors?.map((error) => `${error.field} ${error.code}`).sort()).toEqual([
      "extra unknown_field",
      "grant_types.0 invalid_value",
      "logo_uri invalid_client_metadata",
      "redirect_uris.0 invalid_redirect_uri",
      "scope invalid_client_metadata",
    ]);
    expect(problem.errors?.find((error) => error.field === "redirect_uris.0")).toMatchObject({
      pointer: "#/redirect_uris/0",
      detail: "must not contain a fragment",
    });
    const after = await env.DB.prepare("SELECT count(*) AS n FROM clients").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it("refuses rules between fields with a 400 problem too", async () => {
    const problem = await expectProblem(
      await admin("/admin/v1/clients", { json: { grant_types: ["client_credentials"], token_endpoint_auth_method: "none" } }),
      400,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ in: "body", field: "grant_types", code: "invalid_client_metadata", detail: expect.stringMatching(/confidential/) }),
    ]);
    const missingKeys = await expectProblem(await admin("/admin/v1/clients", { json: { ...WEB_APP, token_endpoint_auth_method: "private_key_jwt" } }), 400);
    expect(missingKeys.errors?.[0]).toMatchObject({ field: "jwks", pointer: "#/jwks" });
  });

  it("needs the admin token and JSON", async () => {
    await expectProblem(await admin("/admin/v1/clients", { json: WEB_APP, token: null }), 401);
    await expectProblem(await admin("/admin/v1/clients", { rawBody: "client_name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415);
  });
});

describe("GET /admin/v1/clients and /admin/v1/clients/{client_id}", () => {
  it("reads a client without its secret; an unknown id is 404", async () => {
    const created = await createClient();
    const response = await admin(`/admin/v1/clients/${created.client_id}`);
    expect(response.status).toBe(200);
    const { client_secret: _secret, ...rest } = created;
    expect(await response.json()).toEqual(rest);
    await expectProblem(await admin("/admin/v1/clients/no-such-client"), 404);
  });

  it("pages through every client without gaps or repeats", async () => {
    const mine = new Set<string>();
    for (let i = 0; i < 3; i++) mine.add((await createClient()).client_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await admin(`/admin/v1/clients?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { clients: ClientJson[]; next_cursor: string | null };
      expect(page.clients.length).toBeLessThanOrEqual(2);
      for (const client of page.clients) expect(client.client_secret).toBeUndefined();
      seen.push(...page.clients.map((client) => client.client_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 500);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of mine) expect(seen).toContain(id);
    expect([...seen].sort()).toEqual(seen);
  });

  it("refuses bad paging parameters", async () => {
    await expectProblem(await admin("/admin/v1/clients?limit=0"), 400);
    await expectProblem(await admin("/admin/v1/clients?cursor=bm9wZQ"), 400);
    await expectProblem(await admin("/admin/v1/clients?client_name=x"), 400);
  });
});

describe("PATCH /admin/v1/clients/{client_id}", () => {
  it("changes the fields sent, keeps the rest, and null resets a field to its default", async () => {
    const client = await createClient({ ...WEB_APP, first_party: true, client_uri: "https://shop.example.com" });
    const response = await patch(client.client_id, { client_name: "Shop 2", redirect_uris: ["https://shop.example.com/cb2"], scope: null, client_uri: null });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as ClientJson;
    expect(updated).toMatchObject({ client_name: "Shop 2", redirect_uris: ["https://shop.example.com/cb2"], scope: "openid profile email", first_party: true });
    expect(updated.client_uri).toBeUndefined();
    expect(updated.client_secret).toBeUndefined();
    expect(await (await admin(`/admin/v1/clients/${client.client_id}`)).json()).toEqual(updated);
    expect(await secretWorks(client.client_id, client.client_secret ?? "")).toBe(true);
  });

  it("checks the rules on the result: a change that breaks one is refused and nothing changes", async () => {
    const client = await createClient({ ...WEB_APP, grant_types: ["authorization_code", "client_credentials"] });
    const problem = await expectProblem(await patch(client.client_id, { token_endpoint_auth_method: "none" }), 400);
    expect(problem.errors?.[0]).toMatchObject({ field: "grant_types", code: "invalid_client_metadata" });
    await expectProblem(await patch(client.client_id, { redirect_uris: ["http://shop.example.com/cb"] }), 400);
    await expectProblem(await patch(client.client_id, { secret_hash: "x" }), 400);
    const { client_secret: _secret, ...rest } = client;
    expect(await (await admin(`/admin/v1/clients/${client.client_id}`)).json()).toEqual(rest);
  });

  it("moving to a secret method issues a secret once; moving away deletes it", async () => {
    const client = await createClient({ ...WEB_APP, token_endpoint_auth_method: "none" });
    const confidential = (await (await patch(client.client_id, { token_endpoint_auth_method: "client_secret_post" })).json()) as ClientJson;
    expect(confidential.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(confidential.client_secret_expires_at).toBe(0);
    const again = (await (await patch(client.client_id, { client_name: "Still secret" })).json()) as ClientJson;
    expect(again.client_secret).toBeUndefined();
    const publicAgain = (await (await patch(client.client_id, { token_endpoint_auth_method: "none" })).json()) as ClientJson;
    expect(publicAgain.client_secret_expires_at).toBeUndefined();
    const row = await env.DB.prepare("SELECT secret_hash FROM clients WHERE client_id = ?").bind(client.client_id).first<{ secret_hash: string | null }>();
    expect(row?.secret_hash).toBeNull();
  });

  it("takes effect for authentication at once (the cache is cleared)", async () => {
    const client = await createClient();
    expect(await secretWorks(client.client_id, client.client_secret ?? "")).toBe(true);
    await patch(client.client_id, { token_endpoint_auth_method: "client_secret_post" });
    expect(await secretWorks(client.client_id, client.client_secret ?? "")).toBe(false);
  });

  it("answers 404 for an unknown client and 200 unchanged for an empty change", async () => {
    await expectProblem(await patch("no-such-client", { client_name: "x" }), 404);
    const client = await createClient();
    const unchanged = await patch(client.client_id, {});
    expect(unchanged.status).toBe(200);
    expect(await unchanged.json()).toEqual(await (await admin(`/admin/v1/clients/${client.client_id}`)).json());
  });
});

describe("POST /admin/v1/clients/{client_id}/secret", () => {
  it("shows a new secret once; the old one stops working at once", async () => {
    const client = await createClient();
    const old = client.client_secret ?? "";
    expect(await secretWorks(client.client_id, old)).toBe(true);
    const response = await admin(`/admin/v1/clients/${client.client_id}/secret`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const rotated = (await response.json()) as ClientJson;
    const fresh = rotated.client_secret ?? "";
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(old);
    expect(await secretWorks(client.client_id, old)).toBe(false);
    expect(await secretWorks(client.client_id, fresh)).toBe(true);
    const row = await env.DB.prepare("SELECT secret_hash, secret_rotated_at FROM clients WHERE client_id = ?")
      .bind(client.client_id)
      .first<{ secret_hash: string; secret_rotated_at: number }>();
    expect(row?.secret_hash).toBe(await sha256Hex(fresh));
    expect(row?.secret_rotated_at).toBeGreaterThan(0);
    expect(((await (await admin(`/admin/v1/clients/${client.client_id}`)).json()) as ClientJson).client_secret).toBeUndefined();
  });

  it("answers 409 for a client without a secret and 404 for an unknown one", async () => {
    const spa = await createClient({ ...WEB_APP, token_endpoint_auth_method: "none" });
    const problem = await expectProblem(await admin(`/admin/v1/clients/${spa.client_id}/secret`, { method: "POST" }), 409);
    expect(problem.detail).toMatch(/no secret/);
    await expectProblem(await admin("/admin/v1/clients/no-such-client/secret", { method: "POST" }), 404);
  });
});

describe("DELETE /admin/v1/clients/{client_id}", () => {
  it("deletes the client (204); it can no longer authenticate and its refresh tokens are revoked", async () => {
    const client = await createClient();
    const user = await createUser();
    await env.DB.prepare(
      "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, grant, created_at, expires_at) VALUES (?, 'f', ?, ?, '{}', ?, ?)",
    )
      .bind(`hash-${client.client_id}`, client.client_id, user.id, Date.now(), Date.now() + 60_000)
      .run();
    const response = await admin(`/admin/v1/clients/${client.client_id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await secretWorks(client.client_id, client.client_secret ?? "")).toBe(false);
    await expectProblem(await admin(`/admin/v1/clients/${client.client_id}`), 404);
    await expectProblem(await admin(`/admin/v1/clients/${client.client_id}`, { method: "DELETE" }), 404);
    const token = await env.DB.prepare("SELECT revoked_at FROM refresh_tokens WHERE token_hash = ?")
      .bind(`hash-${client.client_id}`)
      .first<{ revoked_at: number }>();
    expect(token?.revoked_at).toBeGreaterThan(0);
  });
});

describe("audit trail", () => {
  it("records create, update, rotate and delete with the fields named, never the secret", async () => {
    const client = await createClient();
    await patch(client.client_id, { client_name: "Renamed" });
    await admin(`/admin/v1/clients/${client.client_id}/secret`, { method: "POST" });
    await admin(`/admin/v1/clients/${client.client_id}`, { method: "DELETE" });
    const events = await auditOf(client.client_id);
    expect(events.map((event) => event.type)).toEqual(["admin.client_deleted", "admin.client_secret_rotated", "admin.client_updated", "admin.client_created"]);
    expect(events.find((event) => event.type === "admin.client_updated")?.details).toEqual({ client_id: client.client_id, fields: ["client_name"] });
    expect(events.every((event) => event.actor_type === "admin")).toBe(true);
    expect(JSON.stringify(events)).not.toContain(client.client_secret);
  });
});

describe("POST /admin/v1/initial-access-tokens", () => {
  it("issues a token shown once and stored hashed, single use and one day by default", async () => {
    const response = await admin("/admin/v1/initial-access-tokens", { json: {} });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { initial_access_token: string; expires_at: string; single_use: boolean };
    expect(body.initial_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.single_use).toBe(true);
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    const row = await env.DB.prepare("SELECT * FROM initial_access_tokens WHERE token_hash = ?")
      .bind(await sha256Hex(body.initial_access_token))
      .first();
    expect(row).toMatchObject({ single_use: 1, used_at: null });
  });

  it("takes expires_in and single_use, also with no body at all", async () => {
    const response = await admin("/admin/v1/initial-access-tokens", { json: { expires_in: 600, single_use: false } });
    const body = (await response.json()) as { expires_at: string; single_use: boolean };
    expect(body.single_use).toBe(false);
    expect(Math.abs(Date.parse(body.expires_at) - Date.now() - 600_000)).toBeLessThan(30_000);
    expect((await admin("/admin/v1/initial-access-tokens", { method: "POST" })).status).toBe(201);
  });

  it("refuses bad lifetimes and unknown fields", async () => {
    for (const json of [{ expires_in: 10 }, { expires_in: 31 * 24 * 3600 }, { expires_in: "600" }, { single_use: "yes" }, { scope: "x" }]) {
      await expectProblem(await admin("/admin/v1/initial-access-tokens", { json }), 400);
    }
  });
});

describe("OpenAPI document", () => {
  it("describes the client routes with the metadata fields, and the secret only as a response field", async () => {
    const document = (await (await admin("/admin/v1/openapi.json", { token: null })).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; additionalProperties?: unknown }> };
    };
    const newClient = document.components.schemas.NewClient;
    expect(Object.keys(newClient?.properties ?? {})).toEqual(
      expect.arrayContaining([
        "client_name",
        "redirect_uris",
        "grant_types",
        "token_endpoint_auth_method",
        "scope",
        "first_party",
        "jwks",
        "allowed_resources",
      ]),
    );
    expect(newClient?.additionalProperties).toBe(false);
    expect(Object.keys(newClient?.properties ?? {})).not.toContain("client_secret");
    expect(Object.keys(document.components.schemas.Client?.properties ?? {})).toEqual(
      expect.arrayContaining(["client_id", "client_secret", "client_id_issued_at"]),
    );
    expect(Object.keys(document.paths["/admin/v1/clients/{client_id}/secret"]?.post?.responses ?? {}).sort()).toEqual(["200", "400", "401", "404", "409"]);
  });
});

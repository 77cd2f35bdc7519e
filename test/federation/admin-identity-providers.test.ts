import { describe, expect, it } from "vitest";
import { admin, applePrivateKey, storedProvider, uniqueProviderId } from "./helpers";

type Json = Record<string, unknown>;

async function create(body: Json): Promise<Response> {
  return admin("/admin/v1/identity-providers", { json: body });
}

describe("admin API: identity providers", () => {
  it("creates an OIDC provider, answers with the callback URL, and never returns or stores the secret in clear", async () => {
    const id = uniqueProviderId("acme");
    const response = await create({
      id,
      type: "oidc",
      display_name: "Acme SSO",
      client_id: "gatehouse",
      client_secret: "s3cret-value-never-shown",
      issuer: "https://sso.acme.example",
      trust_email: true,
      attribute_mapping: { name: "preferred_username" },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe(`/admin/v1/identity-providers/${id}`);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({
      id,
      type: "oidc",
      display_name: "Acme SSO",
      issuer: "https://sso.acme.example",
      trust_email: true,
      enabled: true,
      has_client_secret: true,
      attribute_mapping: { name: "preferred_username" },
      redirect_uri: `http://localhost:8787/login/${id}/callback`,
    });
    expect(JSON.stringify(body)).not.toContain("s3cret-value-never-shown");
    const row = await storedProvider(id);
    expect(JSON.stringify(row)).not.toContain("s3cret-value-never-shown");
    expect(typeof row?.encrypted_client_secret).toBe("string");

    const one = await admin(`/admin/v1/identity-providers/${id}`);
    expect(one.status).toBe(200);
    expect(JSON.stringify(await one.json())).not.toContain("s3cret");
    const list = (await (await admin("/admin/v1/identity-providers")).json()) as { identity_providers: Json[] };
    expect(list.identity_providers.map((provider) => provider.id)).toContain(id);
  });

  it("changes and deletes a provider", async () => {
    const id = uniqueProviderId();
    expect((await create({ id, type: "github", display_name: "GitHub", client_id: "gh", client_secret: "x" })).status).toBe(201);
    const patched = await admin(`/admin/v1/identity-providers/${id}`, { method: "PATCH", json: { display_name: "GitHub (work)", enabled: false } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ display_name: "GitHub (work)", enabled: false, has_client_secret: true });
    // Another type's settings are refused on a change as on creation, and nothing is changed.
    for (const json of [{ tenant: "common" }, { team_id: "TEAM123456" }, { key_id: "KEY1234567", display_name: "changed" }]) {
      const refused = await admin(`/admin/v1/identity-providers/${id}`, { method: "PATCH", json });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain("not_allowed");
    }
    expect(await (await admin(`/admin/v1/identity-providers/${id}`)).json()).toMatchObject({ display_name: "GitHub (work)" });
    expect((await admin(`/admin/v1/identity-providers/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await admin(`/admin/v1/identity-providers/${id}`)).status).toBe(404);
    expect((await admin(`/admin/v1/identity-providers/${id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("stores Apple's private key encrypted and requires team and key ids", async () => {
    const id = uniqueProviderId("apple");
    const key = await applePrivateKey();
    const missing = await create({ id, type: "apple", display_name: "Apple", client_id: "com.example.web" });
    expect(missing.status).toBe(400);
    const fields = ((await missing.json()) as { errors: { field: string }[] }).errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(["team_id", "key_id", "private_key"]));
    const bad = await create({ id, type: "apple", display_name: "Apple", client_id: "x", team_id: "T", key_id: "K", private_key: "not a key" });
    expect(bad.status).toBe(400);
    const response = await create({
      id,
      type: "apple",
      display_name: "Apple",
      client_id: "com.example.web",
      team_id: "TEAM123",
      key_id: "KEY123",
      private_key: key,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ team_id: "TEAM123", key_id: "KEY123", has_private_key: true, has_client_secret: false });
    expect(JSON.stringify(body)).not.toContain("PRIVATE KEY");
    expect(JSON.stringify(await storedProvider(id))).not.toContain("PRIVATE KEY");
  });

  it("requires a tenant id for Entra ID", async () => {
    const base = { type: "microsoft", display_name: "Microsoft", client_id: "c", client_secret: "s" };
    expect((await create({ id: uniqueProviderId(), ...base })).status).toBe(400);
    expect((await create({ id: uniqueProviderId(), ...base, tenant: "not-a-tenant" })).status).toBe(400);
    expect((await create({ id: uniqueProviderId(), ...base, tenant: "0b9f9a43-2f0a-4a4e-9c1c-2d1f1f7a9e11" })).status).toBe(201);
  });

  it.each([
    ["an unknown type", { type: "myspace", client_secret: "s" }, "type"],
    ["an oidc provider without issuer", { type: "oidc", client_secret: "s" }, "issuer"],
    ["a plain-http issuer outside development", { type: "oidc", client_secret: "s", issuer: "http://sso.acme.example" }, "issuer"],
    ["an issuer with a query", { type: "oidc", client_secret: "s", issuer: "https://sso.acme.example/?x=1" }, "issuer"],
    ["an issuer that is no URL", { type: "oidc", client_secret: "s", issuer: "sso.acme.example" }, "issuer"],
    ["an issuer for a named provider", { type: "google", client_secret: "s", issuer: "https://evil.example" }, "issuer"],
    ["no client secret", { type: "google" }, "client_secret"],
    ["a bad id", { id: "Bad/Id", type: "google", client_secret: "s" }, "id"],
    ["an id another /login/ page uses", { id: "link", type: "google", client_secret: "s" }, "id"],
    ["an unknown field", { type: "google", client_secret: "s", role: "admin" }, "role"],
    ["an unknown attribute", { type: "google", client_secret: "s", attribute_mapping: { email_verified: "x" } }, "attribute_mapping.email_verified"],
    ["a display name with control characters", { type: "google", client_secret: "s", display_name: "a\nb" }, "display_name"],
  ])("refuses %s with a problem", async (_label, fields, field) => {
    const response = await create({ id: uniqueProviderId(), display_name: "X", client_id: "c", ...fields });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const body = (await response.json()) as { errors: { field?: string }[] };
    expect(body.errors.map((error) => error.field)).toContain(field);
  });

  it("refuses a duplicate id with 409 and an unknown id with 404", async () => {
    const id = uniqueProviderId();
    const body = { id, type: "gitlab", display_name: "GitLab", client_id: "c", client_secret: "s" };
    expect((await create(body)).status).toBe(201);
    expect((await create(body)).status).toBe(409);
    expect((await admin("/admin/v1/identity-providers/no-such-idp")).status).toBe(404);
    expect((await admin("/admin/v1/identity-providers/No_Such", { method: "PATCH", json: {} })).status).toBe(400);
  });

  it("needs the admin token", async () => {
    expect((await admin("/admin/v1/identity-providers", { token: null })).status).toBe(401);
  });
});

import { describe, expect, it } from "vitest";
import { admin } from "./helpers";

interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; security?: unknown }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
  security: unknown[];
}

describe("GET /admin/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document, without a token, describing every admin route", async () => {
    const response = await admin("/admin/v1/openapi.json", { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        "GET /admin/v1/users",
        "POST /admin/v1/users",
        "GET /admin/v1/users/{id}",
        "PATCH /admin/v1/users/{id}",
        "DELETE /admin/v1/users/{id}",
        "POST /admin/v1/users/{id}/disable",
        "POST /admin/v1/users/{id}/enable",
        "GET /admin/v1/users/{id}/sessions",
        "DELETE /admin/v1/users/{id}/sessions",
        "DELETE /admin/v1/users/{id}/sessions/{session_id}",
        "GET /admin/v1/audit-events",
        "GET /admin/v1/clients",
        "POST /admin/v1/clients",
        "GET /admin/v1/clients/{client_id}",
        "PATCH /admin/v1/clients/{client_id}",
        "DELETE /admin/v1/clients/{client_id}",
        "POST /admin/v1/clients/{client_id}/secret",
        "POST /admin/v1/initial-access-tokens",
        "POST /admin/v1/keys/rotate",
        "GET /admin/v1/settings/mfa",
        "PUT /admin/v1/settings/mfa",
        "GET /admin/v1/users/{id}/factors",
        "DELETE /admin/v1/users/{id}/factors/{factor_id}",
        "POST /admin/v1/users/{id}/mfa/reset",
        "GET /admin/v1/identity-providers",
        "POST /admin/v1/identity-providers",
        "GET /admin/v1/identity-providers/{id}",
        "PATCH /admin/v1/identity-providers/{id}",
        "DELETE /admin/v1/identity-providers/{id}",
        "GET /admin/v1/branding",
        "PUT /admin/v1/branding",
        "GET /admin/v1/branding/clients/{client_id}",
        "PUT /admin/v1/branding/clients/{client_id}",
        "DELETE /admin/v1/branding/clients/{client_id}",
        "GET /admin/v1/branding/preview",
        "GET /admin/v1/profile-schema",
        "PUT /admin/v1/profile-schema",
        "GET /admin/v1/users/{id}/profile",
        "PATCH /admin/v1/users/{id}/profile",
        "GET /admin/v1/settings/risk",
        "PUT /admin/v1/settings/risk",
        "POST /admin/v1/risk/evaluate",
        "GET /admin/v1/risk-events",
      ].sort(),
    );
  });

  it("documents the JSON shapes, the problem responses and the bearer scheme", async () => {
    const document = (await (await admin("/admin/v1/openapi.json")).json()) as OpenApiDocument;
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["User", "NewUser", "UserChanges", "UserList", "Session", "SessionList", "AuditEvent", "AuditEventList", "Problem"]),
    );
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.security).toEqual([{ adminToken: [] }]);
    const create = document.paths["/admin/v1/users"]?.post;
    expect(Object.keys(create?.responses ?? {}).sort()).toEqual(["201", "400", "401", "409", "413", "415"]);
    expect(JSON.stringify(create?.responses["409"])).toContain("application/problem+json");
    expect(JSON.stringify(create?.requestBody)).toContain("#/components/schemas/NewUser");
    const user = document.components.schemas.User as { properties: Record<string, unknown> };
    expect(Object.keys(user.properties)).not.toContain("password_hash");
  });

  it("documents the no-control-characters rule as a pattern that works (regression: a regex flag leaked in as a literal `/u`)", async () => {
    const document = (await (await admin("/admin/v1/openapi.json")).json()) as OpenApiDocument;
    const name = (document.components.schemas.NewUser as { properties: Record<string, { pattern?: string }> }).properties.name;
    const pattern = new RegExp(name?.pattern ?? "(?!)", "u");
    expect(pattern.test("Ann Müller 😀")).toBe(true);
    expect(pattern.test("Ann\r\nBcc: x")).toBe(false);
    expect(pattern.test("bell\u0007")).toBe(false);
  });
});

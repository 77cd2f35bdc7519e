import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearUpstreamMetadataCache } from "../../src/services/federation/providers/metadata-cache";
import { ENTRA_CONSUMERS_TENANT } from "../../src/services/federation/providers/named-oidc";
import { tenantClaims, withEndpoint } from "./fake-entra";
import { admin, storedProvider, uniqueProviderId } from "./helpers";

// Entra multi-tenant endpoints narrowed to some organisations (`allowed_tenants`): a token of any other
// directory is refused like any token that does not verify.

beforeEach(() => clearUpstreamMetadataCache());

const guid = () => crypto.randomUUID();

async function failures(providerId: string): Promise<number> {
  const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'federation.failed' AND details LIKE ?")
    .bind(`%"${providerId}"%`)
    .first<number>("n");
  return count ?? 0;
}

describe("allowed_tenants at login", () => {
  it("common: admits only the listed directories; another organisation and personal accounts get the friendly 400", async () => {
    const allowed = guid();
    await withEndpoint(
      "common",
      async (entra) => {
        expect((await entra.login(tenantClaims(allowed))).status).toBe(303);
        const refused = await entra.login(tenantClaims(guid()));
        expect(refused.status).toBe(400);
        expect(refused.headers.get("content-type")).toContain("text/html");
        expect((await entra.login(tenantClaims(ENTRA_CONSUMERS_TENANT))).status).toBe(400);
        expect(await failures(entra.providerId)).toBe(2);
        const identities = await env.DB.prepare("SELECT COUNT(*) AS n FROM federated_identities WHERE provider_id = ?").bind(entra.providerId).first("n");
        expect(identities).toBe(1);
      },
      { fields: { allowed_tenants: [allowed.toUpperCase()] } },
    );
  });

  it("common: listing the personal-accounts tenant admits personal accounts", async () => {
    await withEndpoint("common", async (entra) => expect((await entra.login(tenantClaims(ENTRA_CONSUMERS_TENANT))).status).toBe(303), {
      fields: { allowed_tenants: [ENTRA_CONSUMERS_TENANT] },
    });
  });

  it("organizations: several directories; removing the list (null) admits every organisation again", async () => {
    const [first, second, other] = [guid(), guid(), guid()];
    await withEndpoint(
      "organizations",
      async (entra) => {
        expect((await entra.login(tenantClaims(first))).status).toBe(303);
        expect((await entra.login(tenantClaims(second))).status).toBe(303);
        expect((await entra.login(tenantClaims(other))).status).toBe(400);
        const patched = await admin(`/admin/v1/identity-providers/${entra.providerId}`, { method: "PATCH", json: { allowed_tenants: null } });
        expect(patched.status).toBe(200);
        expect((await patched.json()) as Record<string, unknown>).not.toHaveProperty("allowed_tenants");
        expect((await entra.login(tenantClaims(other))).status).toBe(303);
        // Personal accounts stay refused by the endpoint itself.
        expect((await entra.login(tenantClaims(ENTRA_CONSUMERS_TENANT))).status).toBe(400);
      },
      { fields: { allowed_tenants: [first, second] } },
    );
  });

  it("two providers on one endpoint keep their own lists (the shared discovery cache carries none)", async () => {
    const [listed, other] = [guid(), guid()];
    await withEndpoint(
      "common",
      async (entra) => {
        const open = await entra.addProvider();
        expect((await entra.login(tenantClaims(other), open)).status).toBe(303);
        expect((await entra.login(tenantClaims(other))).status).toBe(400);
        expect((await entra.login(tenantClaims(other), open)).status).toBe(303);
        expect((await entra.login(tenantClaims(listed))).status).toBe(303);
      },
      { fields: { allowed_tenants: [listed] } },
    );
  });

  it("a tenant added by PATCH is admitted on the next login", async () => {
    const [first, later] = [guid(), guid()];
    await withEndpoint(
      "common",
      async (entra) => {
        expect((await entra.login(tenantClaims(later))).status).toBe(400);
        const patched = await admin(`/admin/v1/identity-providers/${entra.providerId}`, { method: "PATCH", json: { allowed_tenants: [first, later] } });
        expect(patched.status).toBe(200);
        expect((await entra.login(tenantClaims(later))).status).toBe(303);
      },
      { fields: { allowed_tenants: [first] } },
    );
  });
});

describe("allowed_tenants in the admin API", () => {
  const base = { type: "microsoft", display_name: "Microsoft", client_id: "c", client_secret: "s" };
  const create = (fields: Record<string, unknown>) => admin("/admin/v1/identity-providers", { json: { id: uniqueProviderId("entra"), ...base, ...fields } });
  const refusedFields = async (response: Response) => {
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    return ((await response.json()) as { errors: { field: string; code?: string }[] }).errors;
  };

  it("stores the list lower-case and without duplicates in the provider's settings, and returns it", async () => {
    const tenant = guid();
    const response = await create({ tenant: "organizations", allowed_tenants: [tenant.toUpperCase(), tenant] });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; allowed_tenants: string[] };
    expect(body.allowed_tenants).toEqual([tenant]);
    expect(JSON.parse(String((await storedProvider(body.id))?.settings))).toMatchObject({ tenant: "organizations", allowed_tenants: [tenant] });
    expect(((await (await admin(`/admin/v1/identity-providers/${body.id}`)).json()) as { allowed_tenants: string[] }).allowed_tenants).toEqual([tenant]);
  });

  it.each([
    [
      "a single-directory tenant",
      { tenant: "0b9f9a43-2f0a-4a4e-9c1c-2d1f1f7a9e11", allowed_tenants: ["0b9f9a43-2f0a-4a4e-9c1c-2d1f1f7a9e11"] },
      "allowed_tenants",
      "not_multi_tenant",
    ],
    ["consumers", { tenant: "consumers", allowed_tenants: [ENTRA_CONSUMERS_TENANT] }, "allowed_tenants", "not_multi_tenant"],
    [
      "an entry that is no directory id",
      { tenant: "common", allowed_tenants: ["0b9f9a43-2f0a-4a4e-9c1c-2d1f1f7a9e11", "contoso.onmicrosoft.com"] },
      "allowed_tenants.1",
      "invalid_tenant",
    ],
    ["the personal tenant with organizations", { tenant: "organizations", allowed_tenants: [ENTRA_CONSUMERS_TENANT] }, "allowed_tenants.0", "invalid_tenant"],
  ])("refuses %s", async (_label, fields, field, code) => {
    expect(await refusedFields(await create(fields))).toContainEqual(expect.objectContaining({ field, code }));
  });

  it("refuses an empty list, a non-array, and the field on another type", async () => {
    expect((await refusedFields(await create({ tenant: "common", allowed_tenants: [] }))).map((error) => error.field)).toContain("allowed_tenants");
    expect((await refusedFields(await create({ tenant: "common", allowed_tenants: guid() }))).map((error) => error.field)).toContain("allowed_tenants");
    const google = await admin("/admin/v1/identity-providers", {
      json: { id: uniqueProviderId(), type: "google", display_name: "G", client_id: "c", client_secret: "s", allowed_tenants: [guid()] },
    });
    expect(await refusedFields(google)).toContainEqual(expect.objectContaining({ field: "allowed_tenants", code: "not_allowed" }));
  });

  it("a PATCH that makes the tenant a single directory must drop the list too", async () => {
    const created = await create({ tenant: "common", allowed_tenants: [guid()] });
    const { id } = (await created.json()) as { id: string };
    const single = guid();
    const path = `/admin/v1/identity-providers/${id}`;
    expect(await refusedFields(await admin(path, { method: "PATCH", json: { tenant: single } }))).toContainEqual(
      expect.objectContaining({ field: "allowed_tenants", code: "not_multi_tenant" }),
    );
    const both = await admin(path, { method: "PATCH", json: { tenant: single, allowed_tenants: null } });
    expect(both.status).toBe(200);
    expect(await both.json()).toMatchObject({ tenant: single });
  });
});

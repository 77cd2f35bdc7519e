import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearUpstreamMetadataCache } from "../../src/services/federation/providers/metadata-cache";
import { ENTRA_CONSUMERS_TENANT } from "../../src/services/federation/providers/named-oidc";
import { ENTRA, tenantClaims, withEndpoint } from "../federation/fake-entra";
import { Browser } from "../federation/flow-helpers";
import { admin, uniqueProviderId } from "../federation/helpers";

// Microsoft Entra ID's multi-tenant endpoints (`tenant`: common, organizations, consumers): the discovery
// document names a template issuer, and each ID token must carry the issuer of the tenant it names (`tid`).

beforeEach(() => clearUpstreamMetadataCache());

describe("Entra ID multi-tenant endpoints", () => {
  it("common: accepts each organisation's and personal accounts' own issuer; identities are keyed per tenant", () =>
    withEndpoint("common", async (entra) => {
      const tenantA = crypto.randomUUID();
      const tenantB = crypto.randomUUID();
      const sub = `shared-${crypto.randomUUID()}`;
      expect((await entra.login(tenantClaims(tenantA, sub))).status).toBe(303);
      expect((await entra.login(tenantClaims(tenantB, sub))).status).toBe(303);
      expect((await entra.login(tenantClaims(ENTRA_CONSUMERS_TENANT))).status).toBe(303);
      const issuers = await env.DB.prepare("SELECT iss FROM federated_identities WHERE sub = ? ORDER BY iss").bind(sub).all<{ iss: string }>();
      expect(issuers.results.map((row) => row.iss).sort()).toEqual([`${ENTRA}/${tenantA}/v2.0`, `${ENTRA}/${tenantB}/v2.0`].sort());
    }));

  it("refuses a token whose issuer is not its own tenant's, or whose tid is missing or not a directory id", () =>
    withEndpoint("common", async (entra) => {
      const tenant = crypto.randomUUID();
      const other = crypto.randomUUID();
      const refused = [
        { sub: "x1", tid: tenant, iss: `${ENTRA}/${other}/v2.0` },
        { sub: "x2", iss: `${ENTRA}/${tenant}/v2.0` },
        { sub: "x3", tid: "../evil", iss: `${ENTRA}/../evil/v2.0` },
        { sub: "x4", tid: tenant.toUpperCase(), iss: `${ENTRA}/${tenant}/v2.0` },
        { sub: "x5", tid: tenant, iss: `${ENTRA}/{tenantid}/v2.0` },
        { sub: "x6", tid: tenant, iss: `https://evil.example/${tenant}/v2.0` },
        { sub: "x7", tid: tenant, iss: `${ENTRA}/common/v2.0` },
      ];
      for (const claims of refused) expect((await entra.login(claims)).status, JSON.stringify(claims)).toBe(400);
    }));

  it("organizations: personal accounts are refused", () =>
    withEndpoint("organizations", async (entra) => {
      expect((await entra.login(tenantClaims(crypto.randomUUID()))).status).toBe(303);
      expect((await entra.login(tenantClaims(ENTRA_CONSUMERS_TENANT))).status).toBe(400);
    }));

  it("consumers: only personal accounts", () =>
    withEndpoint("consumers", async (entra) => {
      expect((await entra.login(tenantClaims(ENTRA_CONSUMERS_TENANT))).status).toBe(303);
      expect((await entra.login(tenantClaims(crypto.randomUUID()))).status).toBe(400);
    }));

  it("a discovery document that names another issuer is refused (friendly 502 when starting)", () =>
    withEndpoint(
      "common",
      async (entra) => {
        expect((await new Browser().post(`/federation/${entra.providerId}/start`, {})).status).toBe(502);
      },
      { documentIssuer: "https://evil.example/{tenantid}/v2.0" },
    ));
});

describe("the tenant field", () => {
  const base = { type: "microsoft", display_name: "Microsoft", client_id: "c", client_secret: "s" };
  const create = (tenant: unknown) => admin("/admin/v1/identity-providers", { json: { id: uniqueProviderId("entra"), ...base, tenant } });

  it("accepts a directory id, common, organizations and consumers (any case, stored lower-case)", async () => {
    for (const tenant of ["common", "organizations", "consumers", "Common", "0b9f9a43-2f0a-4a4e-9c1c-2d1f1f7a9e11"]) {
      const response = await create(tenant);
      expect(response.status, tenant).toBe(201);
      expect(((await response.json()) as { tenant: string }).tenant).toBe(tenant.toLowerCase());
    }
  });

  it("refuses anything else", async () => {
    for (const tenant of ["", "contoso.onmicrosoft.com", "common/../x", "all", "{tenantid}", 42]) {
      expect((await create(tenant)).status, String(tenant)).toBe(400);
    }
  });
});

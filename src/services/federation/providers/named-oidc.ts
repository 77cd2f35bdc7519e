import * as oauth from "oauth4webapi";
import { UpstreamError, type UpstreamProvider } from "../upstream";
import { type MultiTenantIssuer, oidcProvider } from "./oidc";
import type { ProviderSettings } from "./settings";

/** Google: OpenID Connect at a fixed issuer; ID tokens validated by oauth4webapi like any OIDC provider. */
export function googleProvider(settings: ProviderSettings): UpstreamProvider {
  return named(settings, "https://accounts.google.com");
}

const ENTRA = "https://login.microsoftonline.com";
/** The tenant of personal Microsoft accounts (fixed by Microsoft). */
export const ENTRA_CONSUMERS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Microsoft Entra ID. `tenant` is a directory id (one organisation: the usual issuer check), or one of
 * the multi-tenant endpoints: `common` (any organisation and personal accounts), `organizations` (any
 * organisation, no personal accounts), `consumers` (personal accounts only). Their tokens carry their own
 * tenant's issuer (`…/{tid}/v2.0`), so the expected issuer is built from the token's `tid` and must match
 * `iss` exactly; a `tid` that is not a directory id, or a tenant the endpoint does not admit, is refused.
 * `allowed_tenants` (with `common` or `organizations`) narrows the endpoint to the listed directories.
 */
export function microsoftProvider(settings: ProviderSettings): UpstreamProvider {
  const tenant = settings.settings.tenant ?? "";
  const issuer = `${ENTRA}/${encodeURIComponent(tenant)}/v2.0`;
  if (TENANT_ID.test(tenant)) return named(settings, issuer);
  if (tenant !== "common" && tenant !== "organizations" && tenant !== "consumers") throw new Error(`unsupported Entra tenant: ${tenant}`);
  const upstream = named(settings, issuer, { multiTenant: entraTenants(tenant) });
  const allowed = settings.settings.allowed_tenants;
  return allowed ? onlyTenants(upstream, new Set(allowed.map((id) => id.toLowerCase()))) : upstream;
}

function entraTenants(tenant: "common" | "organizations" | "consumers"): MultiTenantIssuer {
  return {
    documentIssuer: tenant === "consumers" ? `${ENTRA}/${ENTRA_CONSUMERS_TENANT}/v2.0` : `${ENTRA}/{tenantid}/v2.0`,
    tokenIssuer(claims) {
      const tid = typeof claims.tid === "string" && TENANT_ID.test(claims.tid) ? claims.tid : null;
      if (!tid) return null;
      const personal = tid.toLowerCase() === ENTRA_CONSUMERS_TENANT;
      if ((tenant === "consumers" && !personal) || (tenant === "organizations" && personal)) return null;
      return `${ENTRA}/${tid}/v2.0`;
    },
  };
}

/**
 * `allowed_tenants`: only these directories log in. Checked on the verified token (its `iss` is already
 * proven to be its `tid`'s), not in the issuer hook: that hook lives in the discovery cache, which every
 * provider on the same endpoint shares, so a per-provider list there would leak between providers.
 */
function onlyTenants(upstream: UpstreamProvider, allowed: ReadonlySet<string>): UpstreamProvider {
  return {
    authorizationUrl: (request) => upstream.authorizationUrl(request),
    async completeCallback(callback) {
      const profile = await upstream.completeCallback(callback);
      const tid = typeof profile.claims.tid === "string" ? profile.claims.tid.toLowerCase() : "";
      if (!allowed.has(tid)) throw new UpstreamError("rejected", "the token's tenant is not in allowed_tenants");
      return profile;
    },
  };
}

/** GitLab.com (OpenID Connect). */
export function gitlabProvider(settings: ProviderSettings): UpstreamProvider {
  return named(settings, "https://gitlab.com");
}

/** LinkedIn ("Sign In with LinkedIn using OpenID Connect"); its token endpoint wants the secret in the body. */
export function linkedinProvider(settings: ProviderSettings): UpstreamProvider {
  const secret = settings.clientSecret ?? "";
  return named(settings, "https://www.linkedin.com/oauth", { clientAuth: async () => oauth.ClientSecretPost(secret) });
}

function named(settings: ProviderSettings, issuer: string, extra: Partial<Parameters<typeof oidcProvider>[0]> = {}): UpstreamProvider {
  return oidcProvider({
    issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scopes: settings.scopes ?? ["openid", "email", "profile"],
    allowHttp: false,
    ...extra,
  });
}

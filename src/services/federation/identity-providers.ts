import { importPKCS8 } from "jose";
import { isUniqueViolation } from "../../storage/db";
import type { IdentityProviderRow, IdentityProviderSettings, IdentityProviderType } from "../../storage/federation-schema";
import { identityProvidersStore } from "../../storage/identity-providers-store";
import { ADMIN_ACTOR } from "../admin-outcome";
import type { AuditEventType } from "../audit";
import type { Deps } from "../deps";
import { decryptSecret, encryptSecret } from "../oidc/key-encryption";
import { loadProfileSchema } from "../profile/schema";
import type { RequestContext } from "../request-context";
import type { AttributeSyncMode } from "./attribute-sync";
import { mappingTargetErrors } from "./mapping-targets";
import { upstreamProviderFor } from "./providers";
import { ENTRA_CONSUMERS_TENANT } from "./providers/named-oidc";
import type { ProviderSettings } from "./providers/settings";
import type { UpstreamProvider } from "./upstream";

/** AES-GCM purpose for provider secrets: a sealed value cannot be moved to or from another kind of secret. */
const SECRET_PURPOSE = "identity-provider-secret";

/** What an operator sends (already shape-checked by the route's schema). */
export interface ProviderInput {
  id?: string;
  type?: IdentityProviderType;
  display_name?: string;
  client_id?: string;
  client_secret?: string;
  issuer?: string | null;
  scopes?: string[] | null;
  trust_email?: boolean;
  enabled?: boolean;
  /** Target (an account attribute or a profile-schema field) → claim name or dotted path. */
  attribute_mapping?: Record<string, string> | null;
  attribute_sync?: AttributeSyncMode;
  team_id?: string;
  key_id?: string;
  private_key?: string;
  tenant?: string;
  allowed_tenants?: string[] | null;
}

export interface ProviderFieldError {
  field: string;
  code: string;
  detail: string;
}

export type ProviderOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; kind: "invalid"; errors: ProviderFieldError[] }
  | { ok: false; kind: "not_found" | "conflict" };

const ok = <T>(value: T): ProviderOutcome<T> => ({ ok: true, value });
const invalid = (errors: ProviderFieldError[]): ProviderOutcome<never> => ({ ok: false, kind: "invalid", errors });

/**
 * Provider ids that name other pages under /login/ (`/login/link/{token}`, `/login/mfa/…`): a provider
 * called "link" would put its callback on another route's path (and under the callback's CSRF exemption).
 */
export const RESERVED_PROVIDER_IDS: ReadonlySet<string> = new Set([
  "code",
  "link",
  "mfa",
  "passkey",
  "sms",
  "email",
  "password",
  "push",
  "totp",
  "recovery",
  "magic",
  "federation",
  "callback",
]);

/** Whether `path` is an identity provider's callback (`/login/{id}/callback` with a possible provider id). */
export function isFederationCallbackPath(path: string): boolean {
  const id = /^\/login\/([a-z0-9-]{1,40})\/callback$/.exec(path)?.[1];
  return id !== undefined && !RESERVED_PROVIDER_IDS.has(id);
}

/** Entra's multi-tenant endpoints (providers/named-oidc.ts checks each token's tenant). */
const ENTRA_TENANT_ENDPOINTS: ReadonlySet<string> = new Set(["common", "organizations", "consumers"]);
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The callback URL the operator registers at the provider. */
export function redirectUriFor(deps: Pick<Deps, "config">, providerId: string): string {
  return `${deps.config.issuerUrl}/login/${providerId}/callback`;
}

/** Adds a provider; its secrets are sealed before they reach D1. */
export async function createProvider(deps: Deps, input: ProviderInput, request: RequestContext): Promise<ProviderOutcome<IdentityProviderRow>> {
  const type = input.type ?? "oidc";
  if (RESERVED_PROVIDER_IDS.has(input.id ?? "")) return invalid([{ field: "id", code: "reserved", detail: "is reserved (another page uses /login/{id}/)" }]);
  const settings = settingsOf(type, {}, input);
  const errors = [
    ...(await checkProvider(deps, type, {
      issuer: input.issuer ?? null,
      hasSecret: Boolean(input.client_secret),
      teamId: input.team_id,
      keyId: input.key_id,
      privateKey: input.private_key,
      tenant: input.tenant,
      allowedTenants: input.allowed_tenants ?? undefined,
    })),
    ...(await mappingErrors(deps, input.attribute_mapping)),
  ];
  if (errors.length > 0) return invalid(errors);
  const now = deps.clock();
  const secret = deps.config.keyEncryptionKey;
  try {
    const row = await identityProvidersStore(deps.db).insert({
      id: input.id ?? "",
      type,
      displayName: input.display_name ?? "",
      clientId: input.client_id ?? "",
      encryptedClientSecret: input.client_secret ? await encryptSecret(secret, SECRET_PURPOSE, input.client_secret) : null,
      issuer: type === "oidc" ? (input.issuer ?? "") : null,
      scopes: input.scopes ?? null,
      trustEmail: input.trust_email ?? false,
      enabled: input.enabled ?? true,
      attributeMapping: input.attribute_mapping ?? null,
      settings,
      encryptedPrivateKey: input.private_key ? await encryptSecret(secret, SECRET_PURPOSE, input.private_key) : null,
      createdAt: now,
      updatedAt: now,
    });
    await audit(deps, "admin.identity_provider_created", row.id, request);
    return ok(row);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, kind: "conflict" };
    throw error;
  }
}

/** Changes a provider; `type` and `id` never change (the callback URL and linked identities depend on them). */
export async function updateProvider(deps: Deps, id: string, input: ProviderInput, request: RequestContext): Promise<ProviderOutcome<IdentityProviderRow>> {
  const store = identityProvidersStore(deps.db);
  const current = await store.find(id);
  if (!current) return { ok: false, kind: "not_found" };
  const settings = settingsOf(current.type, current.settings ?? {}, input);
  const errors = [
    ...(await checkProvider(deps, current.type, {
      issuer: input.issuer !== undefined ? input.issuer : current.issuer,
      hasSecret: Boolean(input.client_secret) || current.encryptedClientSecret !== null,
      // Another type's fields are refused on a change as on creation (settingsOf keeps only the type's own).
      teamId: current.type === "apple" ? settings?.team_id : input.team_id,
      keyId: current.type === "apple" ? settings?.key_id : input.key_id,
      privateKey: input.private_key ?? (current.encryptedPrivateKey ? undefined : ""),
      tenant: current.type === "microsoft" ? settings?.tenant : input.tenant,
      allowedTenants: input.allowed_tenants === undefined ? settings?.allowed_tenants : (input.allowed_tenants ?? undefined),
      patch: true,
    })),
    // Only a mapping sent now is checked: a schema changed since must not block unrelated changes.
    ...(await mappingErrors(deps, input.attribute_mapping)),
  ];
  if (errors.length > 0) return invalid(errors);
  const secret = deps.config.keyEncryptionKey;
  const row = await store.update(id, {
    ...(input.display_name !== undefined ? { displayName: input.display_name } : {}),
    ...(input.client_id !== undefined ? { clientId: input.client_id } : {}),
    ...(input.client_secret !== undefined ? { encryptedClientSecret: await encryptSecret(secret, SECRET_PURPOSE, input.client_secret) } : {}),
    ...(input.issuer !== undefined && input.issuer !== null ? { issuer: input.issuer } : {}),
    ...(input.scopes !== undefined ? { scopes: input.scopes } : {}),
    ...(input.trust_email !== undefined ? { trustEmail: input.trust_email } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.attribute_mapping !== undefined ? { attributeMapping: input.attribute_mapping } : {}),
    ...(input.private_key !== undefined ? { encryptedPrivateKey: await encryptSecret(secret, SECRET_PURPOSE, input.private_key) } : {}),
    settings,
    updatedAt: deps.clock(),
  });
  if (!row) return { ok: false, kind: "not_found" };
  await audit(deps, "admin.identity_provider_updated", id, request, { fields: Object.keys(input) });
  return ok(row);
}

/** Removes a provider. Identities linked through it stay (keyed by the upstream issuer), so re-adding it restores them. */
export async function deleteProvider(deps: Deps, id: string, request: RequestContext): Promise<ProviderOutcome<null>> {
  if (!(await identityProvidersStore(deps.db).delete(id))) return { ok: false, kind: "not_found" };
  await audit(deps, "admin.identity_provider_deleted", id, request);
  return ok(null);
}

/** The provider's client, built from the row with its secrets unsealed. */
export async function upstreamFor(deps: Pick<Deps, "config">, row: IdentityProviderRow): Promise<UpstreamProvider> {
  const secret = deps.config.keyEncryptionKey;
  const settings: ProviderSettings = {
    clientId: row.clientId,
    clientSecret: row.encryptedClientSecret ? await decryptSecret(secret, SECRET_PURPOSE, row.encryptedClientSecret) : null,
    scopes: row.scopes,
    redirectUri: redirectUriFor(deps, row.id),
    issuer: row.issuer,
    allowHttp: deps.config.environment === "development",
    settings: row.settings ?? {},
    privateKey: row.encryptedPrivateKey ? await decryptSecret(secret, SECRET_PURPOSE, row.encryptedPrivateKey) : null,
  };
  return upstreamProviderFor(row.type, settings);
}

/**
 * The settings after `input` changed `current`: when mapped attributes sync (every type) and the type's own
 * settings (Apple's ids, Entra's tenant and allow-list; `allowed_tenants: null` removes the list).
 * Settings another type uses are not kept here: checkProvider refuses them.
 */
function settingsOf(type: IdentityProviderType, current: IdentityProviderSettings, input: ProviderInput): IdentityProviderSettings | null {
  const settings: IdentityProviderSettings = { ...current };
  if (input.attribute_sync !== undefined) settings.attribute_sync = input.attribute_sync;
  if (type === "apple") {
    if (input.team_id !== undefined) settings.team_id = input.team_id;
    if (input.key_id !== undefined) settings.key_id = input.key_id;
  }
  if (type === "microsoft") {
    if (input.tenant !== undefined) settings.tenant = input.tenant.toLowerCase();
    if (input.allowed_tenants === null) delete settings.allowed_tenants;
    else if (input.allowed_tenants !== undefined) settings.allowed_tenants = [...new Set(input.allowed_tenants.map((tenant) => tenant.toLowerCase()))];
  }
  return Object.keys(settings).length > 0 ? settings : null;
}

/** Mapping targets must be account attributes or fields of the current profile schema (mapping-targets.ts). */
async function mappingErrors(deps: Pick<Deps, "db">, mapping: Record<string, string> | null | undefined): Promise<ProviderFieldError[]> {
  if (!mapping || Object.keys(mapping).length === 0) return [];
  return mappingTargetErrors(mapping, (await loadProfileSchema(deps)).fields);
}

interface Checked {
  issuer: string | null;
  hasSecret: boolean;
  teamId?: string;
  keyId?: string;
  /** undefined: unchanged (PATCH) and present; "": missing. */
  privateKey?: string;
  tenant?: string;
  allowedTenants?: string[];
  patch?: boolean;
}

/** The rules the schema cannot express: which fields each type needs, and what an issuer may be. */
async function checkProvider(deps: Pick<Deps, "config">, type: IdentityProviderType, input: Checked): Promise<ProviderFieldError[]> {
  const errors: ProviderFieldError[] = [];
  const missing = (field: string) => errors.push({ field, code: "required", detail: `is required for type ${type}` });
  const refused = (field: string) => errors.push({ field, code: "not_allowed", detail: `is not used by type ${type}` });
  if (type === "oidc") {
    if (!input.issuer) missing("issuer");
    else {
      const problem = issuerProblem(input.issuer, deps.config.environment === "development");
      if (problem) errors.push({ field: "issuer", code: "invalid_issuer", detail: problem });
    }
  } else if (input.issuer) refused("issuer");
  if (type === "apple") {
    if (!input.teamId) missing("team_id");
    if (!input.keyId) missing("key_id");
    if (input.privateKey === "" || (!input.patch && input.privateKey === undefined)) missing("private_key");
    else if (
      input.privateKey !== undefined &&
      !(await importPKCS8(input.privateKey, "ES256").then(
        () => true,
        () => false,
      ))
    ) {
      errors.push({ field: "private_key", code: "invalid_private_key", detail: "must be the PKCS#8 PEM ES256 key Apple issued (.p8)" });
    }
  } else {
    if (!input.hasSecret) missing("client_secret");
    if (input.teamId !== undefined) refused("team_id");
    if (input.keyId !== undefined) refused("key_id");
    if (input.privateKey) refused("private_key");
  }
  if (type === "microsoft") {
    if (!input.tenant) missing("tenant");
    else if (!TENANT_ID.test(input.tenant) && !ENTRA_TENANT_ENDPOINTS.has(input.tenant.toLowerCase()))
      errors.push({ field: "tenant", code: "invalid_tenant", detail: "must be a directory (tenant) id (a GUID), common, organizations or consumers" });
  } else if (input.tenant !== undefined) refused("tenant");
  if (input.allowedTenants !== undefined) errors.push(...allowedTenantErrors(type, input.tenant, input.allowedTenants));
  return errors;
}

/**
 * `allowed_tenants` narrows an Entra multi-tenant endpoint to some organisations: directory ids only, and
 * only where the endpoint admits several (`common`, `organizations`); a single-directory tenant or
 * `consumers` has nothing to narrow. `organizations` never admits personal accounts, so listing their
 * tenant there is a mistake worth saying.
 */
function allowedTenantErrors(type: IdentityProviderType, tenant: string | undefined, allowed: readonly string[]): ProviderFieldError[] {
  if (type !== "microsoft") return [{ field: "allowed_tenants", code: "not_allowed", detail: `is not used by type ${type}` }];
  const endpoint = tenant?.toLowerCase();
  if (endpoint !== "common" && endpoint !== "organizations")
    return [{ field: "allowed_tenants", code: "not_multi_tenant", detail: "needs tenant common or organizations" }];
  const errors: ProviderFieldError[] = [];
  allowed.forEach((id, index) => {
    if (!TENANT_ID.test(id)) errors.push({ field: `allowed_tenants.${index}`, code: "invalid_tenant", detail: "must be a directory (tenant) id (a GUID)" });
    else if (endpoint === "organizations" && id.toLowerCase() === ENTRA_CONSUMERS_TENANT)
      errors.push({ field: `allowed_tenants.${index}`, code: "invalid_tenant", detail: "is the personal-accounts tenant, which organizations never admits" });
  });
  return errors;
}

/** An issuer is an https URL without query, fragment or credentials; plain http only in development. */
function issuerProblem(value: string, development: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.search || url.hash || url.username || url.password) return "must not carry a query, fragment or credentials";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:") return development ? null : "must use https (plain http is accepted only in development)";
  return "must use https";
}

async function audit(deps: Deps, type: AuditEventType, providerId: string, request: RequestContext, details: Record<string, unknown> = {}): Promise<void> {
  await deps.audit.record({ type, outcome: "success", ...ADMIN_ACTOR, details: { identity_provider_id: providerId, ...details } }, request);
}

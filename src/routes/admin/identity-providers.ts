import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../app-env";
import { ATTRIBUTE_SYNC_MODES, syncModeOf } from "../../services/federation/attribute-sync";
import { CLAIM_PATH_MAX_LENGTH } from "../../services/federation/claim-paths";
import { createProvider, deleteProvider, type ProviderOutcome, redirectUriFor, updateProvider } from "../../services/federation/identity-providers";
import { IDENTITY_PROVIDER_TYPES, type IdentityProviderRow } from "../../storage/federation-schema";
import { identityProvidersStore } from "../../storage/identity-providers-store";
import { adminApp, fail, jsonBodyOnly, problem, problems } from "./problems";
import { ProblemSchema } from "./schemas";

/** More targets than this is a mistake (the profile schema itself has at most 50 fields). */
const MAX_MAPPED_ATTRIBUTES = 60;

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["Identity providers"];

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point of this pattern.
const NO_CONTROL_CHARS = /^[^\x00-\x1f\x7f-\x9f]*$/;
const text = (max: number) => z.string().min(1).max(max).regex(NO_CONTROL_CHARS, { message: "must not contain control characters", abort: true });
/** Lower-case letters, digits and dashes: it becomes a path segment of the callback URL. */
const ProviderId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, { message: "must be 1–40 lower-case letters, digits or dashes (not at either end)" })
  .openapi({ example: "acme-sso" });
const Scope = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, { message: "is not a scope token" });
/** Targets and claim paths are checked by the service (against the profile schema and CLAIM_PATH); here only their size. */
const AttributeMapping = z
  .record(z.string().min(1).max(100), z.string().min(1).max(CLAIM_PATH_MAX_LENGTH))
  .refine((mapping) => Object.keys(mapping).length <= MAX_MAPPED_ATTRIBUTES, { message: `maps at most ${MAX_MAPPED_ATTRIBUTES} attributes` })
  .nullable()
  .openapi({
    description:
      "Target → upstream claim name or dotted path into nested claims. Targets: `name`, `email`, `locale` (the account's; defaults: the standard claims) and any field of the profile schema (`given_name`, `birthdate`, `phone_number`, `address`, custom fields), filled only when mapped and only with values that pass the field's checks. `email_verified`, `role` and other reserved names are refused.",
    example: { name: "preferred_username", given_name: "given_name", city: "address.locality", department: "custom.department" },
  });
const TenantId = z.string().max(64);

const fields = {
  display_name: text(100).openapi({ description: "Shown on the login and sign-up buttons.", example: "Acme SSO" }),
  client_id: text(500),
  client_secret: text(4000).openapi({ description: "Stored AES-GCM encrypted; never returned. Not used by `apple`." }),
  issuer: text(2000).nullable().openapi({
    description: "`oidc` only: the issuer URL (discovery at `/.well-known/openid-configuration`). https; plain http only in development.",
    example: "https://sso.acme.example",
  }),
  scopes: z.array(Scope).min(1).max(30).nullable().openapi({ description: "Defaults per type (`openid email profile` for OIDC)." }),
  trust_email: z.boolean().openapi({
    description: "Whether this provider's `email_verified` is trusted: only then does a sign-in join an existing account with that (verified) address.",
  }),
  enabled: z.boolean(),
  attribute_mapping: AttributeMapping,
  attribute_sync: z.enum(ATTRIBUTE_SYNC_MODES).openapi({
    description:
      "When mapped attributes reach the profile: `signup` (account creation only), `unless_edited` (default: every login, except fields the customer changed since), `always` (every login; the upstream wins).",
  }),
  team_id: text(20).openapi({ description: "`apple` only." }),
  key_id: text(20).openapi({ description: "`apple` only." }),
  private_key: z.string().min(1).max(4000).openapi({ description: "`apple` only: the .p8 key (PKCS#8 PEM). Stored encrypted; never returned." }),
  tenant: text(64).openapi({ description: "`microsoft` only: the directory (tenant) id, or `common`, `organizations`, `consumers`." }),
  allowed_tenants: z
    .array(TenantId)
    .min(1)
    .max(100)
    .nullable()
    .openapi({
      description:
        "`microsoft` with tenant `common` or `organizations` only: the directory (tenant) ids admitted; a token of any other tenant is refused. `null` removes the list (every tenant the endpoint admits).",
      example: ["0b9f9a43-2f0a-4a4e-9c1c-2d1f1f7a9e11"],
    }),
};

/** Everything after creation may change, each field on its own; `id` and `type` never do. */
const changeableFields = {
  display_name: fields.display_name.optional(),
  client_id: fields.client_id.optional(),
  client_secret: fields.client_secret.optional(),
  issuer: fields.issuer.optional(),
  scopes: fields.scopes.optional(),
  trust_email: fields.trust_email.optional(),
  enabled: fields.enabled.optional(),
  attribute_mapping: fields.attribute_mapping.optional(),
  attribute_sync: fields.attribute_sync.optional(),
  team_id: fields.team_id.optional(),
  key_id: fields.key_id.optional(),
  private_key: fields.private_key.optional(),
  tenant: fields.tenant.optional(),
  allowed_tenants: fields.allowed_tenants.optional(),
};

const NewProviderSchema = z
  .strictObject({
    id: ProviderId,
    type: z.enum(IDENTITY_PROVIDER_TYPES),
    ...changeableFields,
    display_name: fields.display_name,
    client_id: fields.client_id,
  })
  .openapi("NewIdentityProvider", { description: "Unknown fields are refused." });

const ProviderChangesSchema = z
  .strictObject(changeableFields)
  .openapi("IdentityProviderChanges", { description: "Fields to change; `id` and `type` never change. Unknown fields are refused." });

const ProviderSchema = z
  .object({
    id: z.string(),
    type: z.enum(IDENTITY_PROVIDER_TYPES),
    display_name: z.string(),
    client_id: z.string(),
    issuer: z.string().nullable(),
    scopes: z.array(z.string()).nullable(),
    trust_email: z.boolean(),
    enabled: z.boolean(),
    attribute_mapping: z.record(z.string(), z.string()).nullable(),
    attribute_sync: z.enum(ATTRIBUTE_SYNC_MODES),
    team_id: z.string().optional(),
    key_id: z.string().optional(),
    tenant: z.string().optional(),
    allowed_tenants: z.array(z.string()).optional(),
    has_client_secret: z.boolean(),
    has_private_key: z.boolean(),
    redirect_uri: z.string().openapi({ description: "Register this callback URL at the provider." }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("IdentityProvider");

const Params = z.strictObject({ id: ProviderId.openapi({ param: { name: "id", in: "path" }, description: "Identity provider id." }) });
const conflict409 = { 409: { description: "A provider with this id exists.", content: { "application/problem+json": { schema: ProblemSchema } } } };

const listRoute = createRoute({
  method: "get",
  path: "/admin/v1/identity-providers",
  tags,
  summary: "List identity providers",
  responses: { 200: { description: "Every configured provider (never a secret).", ...json(z.object({ identity_providers: z.array(ProviderSchema) })) } },
});

const createProviderRoute = createRoute({
  method: "post",
  path: "/admin/v1/identity-providers",
  tags,
  summary: "Add an identity provider",
  description: "Social login or any OpenID Connect provider. The answer's `redirect_uri` is the callback to register at the provider.",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, ...json(NewProviderSchema) } },
  responses: {
    201: { description: "The provider; `Location` names it.", headers: { Location: { schema: { type: "string" } } }, ...json(ProviderSchema) },
    ...problems(400, 413, 415),
    ...conflict409,
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/admin/v1/identity-providers/{id}",
  tags,
  summary: "Get an identity provider",
  request: { params: Params },
  responses: { 200: { description: "The provider (never its secrets).", ...json(ProviderSchema) }, ...problems(400, 404) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/admin/v1/identity-providers/{id}",
  tags,
  summary: "Change an identity provider",
  middleware: [jsonBodyOnly] as const,
  request: { params: Params, body: { required: true, ...json(ProviderChangesSchema) } },
  responses: { 200: { description: "The provider after the change.", ...json(ProviderSchema) }, ...problems(400, 404, 413, 415) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/v1/identity-providers/{id}",
  tags,
  summary: "Delete an identity provider",
  description: "Its button disappears and its callback answers 404. Linked identities stay, so adding it again restores them.",
  request: { params: Params },
  responses: { 204: { description: "Deleted." }, ...problems(400, 404) },
});

function providerJson(c: Context<AppEnv>, row: IdentityProviderRow): z.infer<typeof ProviderSchema> {
  return {
    id: row.id,
    type: row.type,
    display_name: row.displayName,
    client_id: row.clientId,
    issuer: row.issuer,
    scopes: row.scopes,
    trust_email: row.trustEmail,
    enabled: row.enabled,
    attribute_mapping: row.attributeMapping,
    ...(row.settings ?? {}),
    attribute_sync: syncModeOf(row),
    has_client_secret: row.encryptedClientSecret !== null,
    has_private_key: row.encryptedPrivateKey !== null,
    redirect_uri: redirectUriFor(c.get("deps"), row.id),
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

function value<T>(c: Context<AppEnv>, outcome: ProviderOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  if (outcome.kind !== "invalid")
    return outcome.kind === "not_found" ? fail(c, 404, "no identity provider with this id") : fail(c, 409, "an identity provider with this id exists");
  const errors = outcome.errors.map((error) => ({
    in: "body",
    field: error.field,
    pointer: `#/${error.field.replaceAll(".", "/")}`,
    code: error.code,
    detail: error.detail,
  }));
  throw new HTTPException(400, { res: problem(c, 400, `invalid request: ${[...new Set(outcome.errors.map((error) => error.field))].join(", ")}`, { errors }) });
}

/** Routes for `/admin/v1/identity-providers`. */
export const identityProviderRoutes = adminApp()
  .openapi(listRoute, async (c) => {
    const rows = await identityProvidersStore(c.get("deps").db).list();
    return c.json({ identity_providers: rows.map((row) => providerJson(c, row)) }, 200);
  })
  .openapi(createProviderRoute, async (c) => {
    const row = value(c, await createProvider(c.get("deps"), c.req.valid("json"), c.get("request")));
    return c.json(providerJson(c, row), 201, { Location: `/admin/v1/identity-providers/${row.id}` });
  })
  .openapi(getRoute, async (c) => {
    const row = await identityProvidersStore(c.get("deps").db).find(c.req.valid("param").id);
    if (!row) return fail(c, 404, "no identity provider with this id");
    return c.json(providerJson(c, row), 200);
  })
  .openapi(patchRoute, async (c) => {
    const row = value(c, await updateProvider(c.get("deps"), c.req.valid("param").id, c.req.valid("json"), c.get("request")));
    return c.json(providerJson(c, row), 200);
  })
  .openapi(deleteRoute, async (c) => {
    value(c, await deleteProvider(c.get("deps"), c.req.valid("param").id, c.get("request")));
    return c.body(null, 204);
  });

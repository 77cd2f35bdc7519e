import { z } from "@hono/zod-openapi";
import { INITIAL_ACCESS_TOKEN_DEFAULT_SECONDS, INITIAL_ACCESS_TOKEN_MAX_SECONDS } from "../../services/admin-clients";
import { MFA_POLICIES } from "../../services/auth/mfa-policies";
import { ASSERTION_ALGS, AUTH_METHODS, ClientMetadataInputSchema, GRANT_TYPES, ID_TOKEN_ALGS } from "../../services/oidc/client-metadata";
import { Id } from "./schemas";

/**
 * Schemas of the client routes. The field rules live in services/oidc/client-metadata.ts (shared with
 * `/register`); the object is rebuilt here from their shape because zod copies `.openapi` onto each schema
 * when it is made, and that module may load before `@hono/zod-openapi` has added the method.
 */
const metadataFields = () => z.strictObject(ClientMetadataInputSchema.shape);

export const NewClientSchema = metadataFields().openapi("NewClient", {
  description:
    "RFC 7591 / OpenID Connect Registration metadata. Every field is optional; defaults: grant_types [authorization_code], token_endpoint_auth_method client_secret_basic, scope `openid profile email`, id_token_signed_response_alg RS256, first_party false, mfa_policy and risk_policy absent (the global defaults apply). Unknown fields are refused. See docs/clients.md.",
  example: {
    client_name: "Shop",
    redirect_uris: ["https://shop.example.com/callback"],
    post_logout_redirect_uris: ["https://shop.example.com/"],
    grant_types: ["authorization_code", "refresh_token"],
    token_endpoint_auth_method: "client_secret_basic",
    scope: "openid profile email offline_access",
  },
});

export const ClientChangesSchema = metadataFields().openapi("ClientChanges", {
  description: "Fields to change; absent fields stay, `null` resets a field to its default. The result must pass every rule of NewClient.",
});

const uris = z.array(z.string());

export const ClientSchema = z
  .object({
    client_id: z.string().openapi({ example: "q0m5u3o3ZrP0xYyJ8m4W8g" }),
    client_secret: z.string().optional().openapi({ description: "Only in the response that created it (create, rotate, a change to a secret method)." }),
    client_id_issued_at: z.number().int().openapi({ description: "Seconds since the epoch." }),
    client_secret_expires_at: z.number().int().optional().openapi({ description: "`0` (never) for clients with a secret; absent otherwise." }),
    client_name: z.string().optional(),
    redirect_uris: uris,
    post_logout_redirect_uris: uris,
    grant_types: z.array(z.enum(GRANT_TYPES)),
    response_types: z.array(z.literal("code")),
    token_endpoint_auth_method: z.enum(AUTH_METHODS),
    token_endpoint_auth_signing_alg: z.enum(ASSERTION_ALGS).optional(),
    scope: z.string(),
    first_party: z.boolean(),
    mfa_policy: z.enum(MFA_POLICIES).optional().openapi({ description: "Second-factor policy for this app; absent: the global default." }),
    risk_policy: z
      .object({ step_up_at: z.number().int().optional(), deny_at: z.number().int().optional(), risk_claim: z.boolean().optional() })
      .optional()
      .openapi({
        description:
          "This app's risk thresholds (1–101, overriding the global `step_up_at`/`deny_at`) and whether its ID tokens carry the `gatehouse_risk` claim; absent: the global policy, no claim. Not settable through dynamic registration.",
      }),
    require_verified: z
      .array(z.enum(["email", "phone"]))
      .optional()
      .openapi({ description: "The user must have verified these before the app gets tokens (checked at /authorize); absent: nothing." }),
    backchannel_logout_uri: z.string().optional(),
    backchannel_logout_session_required: z.boolean(),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
    id_token_signed_response_alg: z.enum(ID_TOKEN_ALGS),
    allowed_resources: uris,
    application_type: z.enum(["web", "native"]),
    client_uri: z.string().optional(),
    logo_uri: z.string().optional(),
    policy_uri: z.string().optional(),
    tos_uri: z.string().optional(),
    contacts: z.array(z.string()).optional(),
    software_id: z.string().optional(),
    software_version: z.string().optional(),
  })
  .openapi("Client", { description: "A registered client: RFC 7591 client information with every default filled in. The secret is never shown again." });

export const ClientListSchema = z
  .object({
    clients: z.array(ClientSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; `null` on the last page." }),
  })
  .openapi("ClientList");

export const ClientIdParams = z.strictObject({
  client_id: Id.openapi({ param: { name: "client_id", in: "path" }, description: "Client id." }),
});

export const NewInitialAccessTokenSchema = z
  .strictObject({
    expires_in: z
      .number()
      .int()
      .min(60)
      .max(INITIAL_ACCESS_TOKEN_MAX_SECONDS)
      .optional()
      .openapi({ description: `Lifetime in seconds (60 to ${INITIAL_ACCESS_TOKEN_MAX_SECONDS}); default ${INITIAL_ACCESS_TOKEN_DEFAULT_SECONDS}.` }),
    single_use: z.boolean().optional().openapi({ description: "Whether one registration uses it up (default `true`)." }),
  })
  .openapi("NewInitialAccessToken");

export const InitialAccessTokenSchema = z
  .object({
    initial_access_token: z.string().openapi({ description: "Send as `Authorization: Bearer …` to `POST /register`. Shown once; only its hash is stored." }),
    expires_at: z.string().openapi({ format: "date-time" }),
    single_use: z.boolean(),
  })
  .openapi("InitialAccessToken");

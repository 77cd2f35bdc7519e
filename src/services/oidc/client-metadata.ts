import type { JWK } from "jose";
import { z } from "zod";
import { normalizeEmail } from "../../lib/email";
import { base64UrlDecode } from "../../lib/encoding";
import { MFA_POLICIES, type MfaPolicy } from "../auth/mfa-policies";
import { type ClientRiskPolicy, ClientRiskPolicySchema } from "../risk/policy";
import type { ClientAuthMethod, GrantType, SigningAlg } from "./client-model";
import { httpsUrlProblem, redirectUriProblem, resourceUriProblem, serverUriProblem } from "./client-uris";
import { OIDC_SCOPES } from "./scopes";

/** What an app can require the user to have verified before it receives tokens (`require_verified`). */
export const VERIFIED_CLAIMS = ["email", "phone"] as const;
export type VerifiedClaim = (typeof VERIFIED_CLAIMS)[number];

/**
 * Client metadata (RFC 7591 §2, OpenID Connect Dynamic Client Registration §2, Back-Channel Logout §2.2)
 * as we accept it from the admin API and from `/register`, and as we store it (wire names, defaults
 * filled in). One schema checks each field; `resolveClientMetadata` adds defaults and the rules that
 * tie fields together.
 */

export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const satisfies readonly GrantType[];
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const satisfies readonly ClientAuthMethod[];
export const ID_TOKEN_ALGS = ["ES256", "EdDSA", "RS256"] as const satisfies readonly SigningAlg[];
/** Algorithms we verify client assertions with: asymmetric only, never `none` or HMAC (RFC 7523, RFC 8725 §3.1). */
export const ASSERTION_ALGS = ["ES256", "EdDSA", "RS256", "PS256"] as const;
export type AssertionAlg = (typeof ASSERTION_ALGS)[number];
/** OIDC Core §5.4 and §11; any client may ask for these. */
/** The OIDC scopes (one list for the whole provider, see scopes.ts). */
export const STANDARD_SCOPES = OIDC_SCOPES;
export const DEFAULT_SCOPE = "openid profile email";
/** An application-defined API scope (`orders:read`, `https://api.example.com/read`). */
const API_SCOPE = /^[A-Za-z0-9_:./-]+$/;

/** Which wire codes a field error maps to in RFC 7591 §3.2.2. */
export type MetadataErrorCode = "invalid_redirect_uri" | "invalid_client_metadata";

export interface MetadataError {
  /** Wire path of the field, dotted (`redirect_uris.0`). */
  field: string;
  code: MetadataErrorCode;
  detail: string;
}

/** Stored, normalized metadata: every defaulted field present, optional ones absent when unset. */
export interface ClientMetadata {
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: GrantType[];
  response_types: "code"[];
  token_endpoint_auth_method: ClientAuthMethod;
  token_endpoint_auth_signing_alg?: AssertionAlg;
  scope: string;
  first_party: boolean;
  /** Second-factor policy for this app; absent: the global default (`PUT /admin/v1/settings/mfa`). */
  mfa_policy?: MfaPolicy;
  /** Risk thresholds for this app and whether its ID tokens carry `gatehouse_risk`; absent: the global policy. */
  risk_policy?: ClientRiskPolicy;
  /** What the user must have verified before this app receives tokens (`email`, `phone`); absent: nothing. */
  require_verified?: VerifiedClaim[];
  backchannel_logout_uri?: string;
  backchannel_logout_session_required: boolean;
  jwks?: { keys: JWK[] };
  id_token_signed_response_alg: SigningAlg;
  allowed_resources: string[];
  application_type: "web" | "native";
  client_uri?: string;
  logo_uri?: string;
  policy_uri?: string;
  tos_uri?: string;
  contacts?: string[];
  software_id?: string;
  software_version?: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point of this pattern.
const NO_CONTROL_CHARS = /^[^\x00-\x1f\x7f-\x9f]*$/;
const text = (max: number) => z.string().min(1).max(max).regex(NO_CONTROL_CHARS, { message: "must not contain control characters" });

/** A string field checked by one of the URI rules; `code` says which RFC 7591 error it becomes. */
const uri = (problem: (value: string) => string | null, code: MetadataErrorCode = "invalid_client_metadata") =>
  z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message, params: { code } });
  });

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((values) => new Set(values).size === values.length, { message: "must not list a value twice" });

const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A public signing key for private_key_jwt: EC P-256, OKP Ed25519 or RSA ≥ 2048 bits; private members refused. */
const PublicJwk = z.looseObject({ kty: z.string() }).superRefine((jwk, ctx) => {
  const issue = (message: string) => ctx.addIssue({ code: "custom", message, params: { code: "invalid_client_metadata" } });
  const privateMembers = PRIVATE_JWK_MEMBERS.filter((member) => member in jwk);
  if (privateMembers.length > 0) return issue(`must be a public key: remove the private member(s) ${privateMembers.join(", ")}`);
  if ("x5u" in jwk) return issue("x5u is not supported: keys are never fetched from a URL");
  const member = (name: string) => typeof jwk[name] === "string" && BASE64URL.test(jwk[name] as string);
  const alg = jwk.alg;
  if (alg !== undefined && !(ASSERTION_ALGS as readonly unknown[]).includes(alg)) return issue(`alg must be one of ${ASSERTION_ALGS.join(", ")}`);
  if (jwk.use !== undefined && jwk.use !== "sig") return issue('use must be "sig"');
  if (jwk.kty === "EC") {
    if (jwk.crv !== "P-256" || !member("x") || !member("y")) return issue("an EC key must be on P-256 with x and y");
    if (alg !== undefined && alg !== "ES256") return issue("an EC P-256 key signs with ES256");
  } else if (jwk.kty === "OKP") {
    if (jwk.crv !== "Ed25519" || !member("x")) return issue("an OKP key must be Ed25519 with x");
    if (alg !== undefined && alg !== "EdDSA") return issue("an Ed25519 key signs with EdDSA");
  } else if (jwk.kty === "RSA") {
    if (!member("n") || !member("e")) return issue("an RSA key needs n and e");
    if (rsaModulusBits(jwk.n as string) < 2048) return issue("an RSA key must have at least 2048 bits");
    if (alg !== undefined && alg !== "RS256" && alg !== "PS256") return issue("an RSA key signs with RS256 or PS256");
  } else {
    return issue("kty must be EC, OKP or RSA (symmetric keys are not accepted)");
  }
});

const Jwks = z.strictObject({ keys: z.array(PublicJwk).min(1).max(10) });

const Scope = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: "custom", message, params: { code: "invalid_client_metadata" } });
    const tokens = value.split(" ");
    if (value === "" || tokens.some((token) => token === "")) return issue("must be scope names separated by single spaces");
    const bad = tokens.find((token) => token.length > 128 || !API_SCOPE.test(token));
    if (bad !== undefined) return issue(`"${bad.slice(0, 40)}" is not a valid scope name (letters, digits and _ : . / - only)`);
    if (new Set(tokens).size !== tokens.length) return issue("must not list a scope twice");
  });

/**
 * Every field a client may send. All optional (the create path fills defaults); `null` means "not set".
 * Unknown fields are refused: a misspelt name must not silently register a client without it.
 */
export const ClientMetadataInputSchema = z.strictObject({
  client_name: text(100).nullish(),
  redirect_uris: uniqueList(uri(redirectUriProblem, "invalid_redirect_uri"), 20).nullish(),
  post_logout_redirect_uris: uniqueList(uri(redirectUriProblem), 20).nullish(),
  grant_types: uniqueList(z.enum(GRANT_TYPES), 3).min(1).nullish(),
  response_types: z
    .array(z.literal("code", { error: 'the only response type is "code"' }))
    .max(1)
    .nullish(),
  token_endpoint_auth_method: z.enum(AUTH_METHODS).nullish(),
  token_endpoint_auth_signing_alg: z.enum(ASSERTION_ALGS).nullish(),
  scope: Scope.nullish(),
  first_party: z.boolean().nullish(),
  mfa_policy: z.enum(MFA_POLICIES).nullish(),
  risk_policy: ClientRiskPolicySchema.nullish(),
  require_verified: uniqueList(z.enum(VERIFIED_CLAIMS), 2).nullish(),
  backchannel_logout_uri: z.string().max(2000).nullish(),
  backchannel_logout_session_required: z.boolean().nullish(),
  jwks: Jwks.nullish(),
  id_token_signed_response_alg: z.enum(ID_TOKEN_ALGS).nullish(),
  allowed_resources: uniqueList(uri(resourceUriProblem), 20).nullish(),
  application_type: z.enum(["web", "native"]).nullish(),
  client_uri: uri(httpsUrlProblem).nullish(),
  logo_uri: uri(httpsUrlProblem).nullish(),
  policy_uri: uri(httpsUrlProblem).nullish(),
  tos_uri: uri(httpsUrlProblem).nullish(),
  contacts: uniqueList(
    text(254).refine((value) => normalizeEmail(value) !== null && value === value.trim(), {
      message: "is not a valid email address",
      params: { code: "invalid_client_metadata" },
    }),
    10,
  ).nullish(),
  software_id: text(255).nullish(),
  software_version: text(255).nullish(),
});

export type ClientMetadataInput = z.infer<typeof ClientMetadataInputSchema>;

export interface ResolveOptions {
  /** Through `/register`: no `first_party`, no `allowed_resources`, standard scopes only. */
  dynamic: boolean;
  /** Whether `http://localhost` back-channel logout URIs are allowed (development and test only). */
  allowLoopbackHttp: boolean;
  /** API scopes an operator already granted this client, which its own updates through `/register` may keep. */
  grantedScopes?: string[];
}

export type MetadataResult = { ok: true; metadata: ClientMetadata } | { ok: false; errors: MetadataError[] };

/**
 * Fills defaults (RFC 7591 §2: `authorization_code`, `client_secret_basic`; ours: scope
 * `openid profile email`, ID tokens RS256) and checks the rules between fields. The input has passed
 * `ClientMetadataInputSchema`; its `null`s count as absent.
 */
export function resolveClientMetadata(input: ClientMetadataInput, options: ResolveOptions): MetadataResult {
  const errors: MetadataError[] = [];
  const refuse = (field: string, detail: string, code: MetadataErrorCode = "invalid_client_metadata") => errors.push({ field, code, detail });

  const grantTypes = input.grant_types ?? ["authorization_code"];
  const method = input.token_endpoint_auth_method ?? "client_secret_basic";
  const redirectUris = input.redirect_uris ?? [];
  const scope = input.scope ?? DEFAULT_SCOPE;
  const codeFlow = grantTypes.includes("authorization_code");

  if (codeFlow && redirectUris.length === 0)
    refuse("redirect_uris", "at least one redirect URI is required for the authorization_code grant", "invalid_redirect_uri");
  if (grantTypes.includes("refresh_token") && !codeFlow) refuse("grant_types", "refresh_token needs authorization_code (refresh tokens are issued with codes)");
  if (grantTypes.includes("client_credentials") && method === "none")
    refuse("grant_types", "client_credentials needs a confidential client (not token_endpoint_auth_method none)");
  if (input.response_types && input.response_types.length > 0 !== codeFlow) {
    refuse("response_types", codeFlow ? 'must be ["code"] with the authorization_code grant' : "must be empty without the authorization_code grant");
  }
  if (method === "private_key_jwt" && !input.jwks) refuse("jwks", "private_key_jwt needs the client's public keys in jwks");
  if (input.token_endpoint_auth_signing_alg) {
    const alg = input.token_endpoint_auth_signing_alg;
    if (method !== "private_key_jwt") refuse("token_endpoint_auth_signing_alg", "applies only to private_key_jwt");
    else if (input.jwks && !input.jwks.keys.some((key) => keyFitsAlg(key, alg))) refuse("token_endpoint_auth_signing_alg", `no key in jwks can sign ${alg}`);
  }
  if (input.backchannel_logout_uri) {
    const problem = serverUriProblem(input.backchannel_logout_uri, options.allowLoopbackHttp);
    if (problem) refuse("backchannel_logout_uri", problem);
  }
  if (options.dynamic) {
    if (input.first_party) refuse("first_party", "cannot be set through dynamic registration");
    if (input.mfa_policy) refuse("mfa_policy", "cannot be set through dynamic registration; ask an operator");
    if (input.risk_policy) refuse("risk_policy", "cannot be set through dynamic registration; ask an operator");
    if (input.allowed_resources && input.allowed_resources.length > 0)
      refuse("allowed_resources", "cannot be set through dynamic registration; ask an operator");
    const allowed = new Set<string>([...STANDARD_SCOPES, ...(options.grantedScopes ?? [])]);
    const apiScopes = scope.split(" ").filter((token) => !allowed.has(token));
    if (apiScopes.length > 0) refuse("scope", `dynamic registration allows only ${STANDARD_SCOPES.join(" ")}; API scopes are granted by an operator`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const metadata: ClientMetadata = {
    redirect_uris: redirectUris,
    post_logout_redirect_uris: input.post_logout_redirect_uris ?? [],
    grant_types: grantTypes,
    response_types: codeFlow ? ["code"] : [],
    token_endpoint_auth_method: method,
    scope,
    first_party: options.dynamic ? false : (input.first_party ?? false),
    backchannel_logout_session_required: input.backchannel_logout_session_required ?? false,
    id_token_signed_response_alg: input.id_token_signed_response_alg ?? "RS256",
    allowed_resources: input.allowed_resources ?? [],
    application_type: input.application_type ?? "web",
  };
  const optional = {
    client_name: input.client_name,
    mfa_policy: input.mfa_policy,
    risk_policy: input.risk_policy && Object.keys(input.risk_policy).length > 0 ? input.risk_policy : undefined,
    require_verified: input.require_verified && input.require_verified.length > 0 ? input.require_verified : undefined,
    token_endpoint_auth_signing_alg: input.token_endpoint_auth_signing_alg,
    backchannel_logout_uri: input.backchannel_logout_uri,
    jwks: input.jwks ? { keys: input.jwks.keys as JWK[] } : undefined,
    client_uri: input.client_uri,
    logo_uri: input.logo_uri,
    policy_uri: input.policy_uri,
    tos_uri: input.tos_uri,
    contacts: input.contacts,
    software_id: input.software_id,
    software_version: input.software_version,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined && value !== null) Object.assign(metadata, { [key]: value });
  // Stored and shown in the schema's order, so the wire form reads the same for every client.
  const ordered = Object.fromEntries(
    Object.keys(ClientMetadataInputSchema.shape).flatMap((key) => (key in metadata ? [[key, metadata[key as keyof ClientMetadata]]] : [])),
  );
  return { ok: true, metadata: ordered as unknown as ClientMetadata };
}

/** Whether `input` passes the field rules; the errors in RFC 7591 terms otherwise (redirect URIs get their own code). */
export function parseClientMetadata(input: unknown): { ok: true; value: ClientMetadataInput } | { ok: false; errors: MetadataError[] } {
  const parsed = ClientMetadataInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues.flatMap((issue): MetadataError[] => {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path) => ({
      field: path.map(String).join(".") || "(body)",
      code: path[0] === "redirect_uris" ? "invalid_redirect_uri" : "invalid_client_metadata",
      detail: issue.code === "unrecognized_keys" ? "is not a supported client metadata field" : issue.message,
    }));
  });
  return { ok: false, errors };
}

/**
 * A PATCH applied to stored metadata: sent fields replace, `null` removes (back to the default), absent
 * fields stay. The result goes through `resolveClientMetadata` again, so the rules between fields hold.
 */
export function mergeMetadata(current: ClientMetadata, changes: ClientMetadataInput): ClientMetadataInput {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  // A grant change re-derives response_types unless the change names them.
  if (changes.grant_types !== undefined && changes.response_types === undefined) delete merged.response_types;
  return merged as ClientMetadataInput;
}

/** Size of an RSA modulus from its base64url form (leading zero bits do not count). */
function rsaModulusBits(n: string): number {
  const bytes = base64UrlDecode(n);
  if (!bytes) return 0;
  const start = bytes.findIndex((byte) => byte !== 0);
  if (start === -1) return 0;
  return (bytes.length - start) * 8 - Math.clz32(bytes[start] as number) + 24;
}

function keyFitsAlg(key: Record<string, unknown>, alg: AssertionAlg): boolean {
  if (key.alg !== undefined && key.alg !== alg) return false;
  if (alg === "ES256") return key.kty === "EC";
  if (alg === "EdDSA") return key.kty === "OKP";
  return key.kty === "RSA";
}

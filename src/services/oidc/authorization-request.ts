import { sha256Hex } from "../../lib/hashing";
import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import type { Deps } from "../deps";
import { type Client, isRedirectUriRegistered } from "./client-model";
import { clientAllowsGrant, findClient } from "./clients";
import { OAuthError } from "./oauth-error";
import { isValidCodeChallenge } from "./pkce";
import { parseScope } from "./scopes";

export type Prompt = "none" | "login" | "consent" | "create";

/** A validated authorization request (OIDC Core §3.1.2.1, RFC 6749 §4.1.1, RFC 7636, RFC 8707). */
export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  state: string | null;
  responseMode: "query" | "form_post";
  scope: string[];
  nonce: string | null;
  codeChallenge: string;
  prompt: Set<Prompt>;
  maxAge: number | null;
  loginHint: string | null;
  idTokenHint: string | null;
  uiLocales: string | null;
  acrValues: string[];
  resource: string | null;
  /** The parameters as received (after PAR resolution), to resume the request after login or consent. */
  params: Record<string, string>;
}

/**
 * The request cannot be answered at the client's redirect URI (unknown client, unregistered or missing
 * redirect_uri): show an error page, never redirect (RFC 6749 §4.1.2.1).
 */
export class UntrustedRedirectError extends Error {
  override readonly name = "UntrustedRedirectError";
  constructor(
    readonly code: "invalid_client" | "invalid_request" | "invalid_request_uri",
    readonly description: string,
  ) {
    super(description);
  }
}

/** An error to send back to a proven redirect URI. */
export interface RedirectableError {
  error: OAuthError;
  client: Client;
  redirectUri: string;
  state: string | null;
  responseMode: "query" | "form_post";
}

const PAR_PREFIX = "urn:ietf:params:oauth:request_uri:";
/** Printable ASCII for `state`/`nonce`: no CR/LF or other control characters, at most 2,048 characters. */
const SAFE_VALUE = /^[\x20-\x7E]{1,2048}$/;

/** Parses and validates `/authorize` parameters, resolving a pushed request (`request_uri`) first. */
export async function parseAuthorizationRequest(deps: Deps, raw: URLSearchParams): Promise<AuthorizationRequest | RedirectableError> {
  for (const key of ["client_id", "redirect_uri", "request_uri"]) {
    if (raw.getAll(key).length > 1) throw new UntrustedRedirectError("invalid_request", `${key} is repeated`);
  }
  const clientId = raw.get("client_id");
  if (!clientId) throw new UntrustedRedirectError("invalid_request", "client_id is missing");
  const client = await findClient(deps, clientId);
  if (!client) throw new UntrustedRedirectError("invalid_client", "unknown client");

  let params = Object.fromEntries(raw);
  const duplicated = [...new Set([...raw.keys()].filter((key) => raw.getAll(key).length > 1))];
  if (params.request_uri) {
    params = await resolvePushedRequest(deps, client, params.request_uri);
  }
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !isRedirectUriRegistered(client.redirectUris, redirectUri, client.applicationType === "native")) {
    throw new UntrustedRedirectError("invalid_request", "redirect_uri is missing or not registered for this client");
  }
  const state = params.state ?? null;
  const responseMode = params.response_mode === "form_post" ? "form_post" : "query";
  const fail = (code: ConstructorParameters<typeof OAuthError>[0], description: string): RedirectableError => ({
    error: new OAuthError(code, description),
    client,
    redirectUri,
    state: state !== null && SAFE_VALUE.test(state) ? state : null,
    responseMode,
  });

  if (duplicated.length > 0) return fail("invalid_request", `parameters must not be repeated: ${duplicated.join(", ")}`);
  if (state !== null && !SAFE_VALUE.test(state)) return fail("invalid_request", "state must be printable ASCII of at most 2048 characters");
  if (params.request !== undefined) return fail("request_not_supported", "request objects are not supported; use pushed authorization requests");
  if (params.response_mode !== undefined && params.response_mode !== "query" && params.response_mode !== "form_post") {
    return fail("invalid_request", "response_mode must be query or form_post");
  }
  if (params.response_type !== "code") return fail("unsupported_response_type", "only response_type=code is supported");
  if (!clientAllowsGrant(client, "authorization_code")) return fail("unauthorized_client", "the client may not use the authorization code flow");

  const scope = parseScope(params.scope);
  if (scope === null) return fail("invalid_scope", "scope is malformed");
  const notAllowed = scope.filter((item) => !client.scopes.includes(item));
  if (notAllowed.length > 0) return fail("invalid_scope", `scope not allowed for this client: ${notAllowed.join(" ")}`);

  if (!params.code_challenge) return fail("invalid_request", "code_challenge is required (PKCE)");
  if (params.code_challenge_method !== "S256") return fail("invalid_request", "code_challenge_method must be S256");
  if (!isValidCodeChallenge(params.code_challenge)) return fail("invalid_request", "code_challenge is malformed");

  const nonce = params.nonce ?? null;
  if (nonce !== null && !SAFE_VALUE.test(nonce)) return fail("invalid_request", "nonce must be printable ASCII of at most 2048 characters");

  const promptValues = (params.prompt ?? "").split(" ").filter(Boolean);
  if (promptValues.some((value) => !["none", "login", "consent", "create", "select_account"].includes(value)))
    return fail("invalid_request", "unsupported prompt value");
  const prompt = new Set(promptValues.filter((value) => value !== "select_account") as Prompt[]);
  if (prompt.has("none") && promptValues.length > 1) return fail("invalid_request", "prompt=none must not be combined with other values");

  let maxAge: number | null = null;
  if (params.max_age !== undefined) {
    if (!/^\d{1,10}$/.test(params.max_age)) return fail("invalid_request", "max_age must be a non-negative integer");
    maxAge = Number(params.max_age);
  }
  const resource = params.resource ?? null;
  if (resource !== null && !client.allowedResources.includes(resource)) return fail("invalid_target", "the resource is not allowed for this client");

  return {
    client,
    redirectUri,
    state,
    responseMode,
    scope,
    nonce,
    codeChallenge: params.code_challenge,
    prompt,
    maxAge,
    loginHint: params.login_hint ?? null,
    idTokenHint: params.id_token_hint ?? null,
    uiLocales: params.ui_locales ?? null,
    acrValues: (params.acr_values ?? "").split(" ").filter(Boolean),
    resource,
    params,
  };
}

async function resolvePushedRequest(deps: Deps, client: Client, requestUri: string): Promise<Record<string, string>> {
  if (!requestUri.startsWith(PAR_PREFIX))
    throw new UntrustedRedirectError("invalid_request_uri", "request_uri must come from the pushed authorization request endpoint");
  const pushed = await oauthGrantsStore(deps.db).findPushed(await sha256Hex(requestUri.slice(PAR_PREFIX.length)), deps.clock());
  if (!pushed || pushed.clientId !== client.clientId) throw new UntrustedRedirectError("invalid_request_uri", "request_uri is invalid, expired or used");
  return { ...pushed.params, client_id: client.clientId, request_uri: requestUri };
}

export { PAR_PREFIX };

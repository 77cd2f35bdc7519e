import { sha256Hex } from "../../lib/hashing";
import { randomToken } from "../../lib/random";
import { timingSafeEqualStrings } from "../../lib/timing-safe";
import { clientsStore, initialAccessTokensStore } from "../../storage/clients-store";
import type { ClientRow } from "../../storage/oidc-schema";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { type ClientMetadataInput, type MetadataError, parseClientMetadata, resolveClientMetadata, STANDARD_SCOPES } from "./client-metadata";
import { changedFields, describeErrors, metadataChange, metadataOf, newClientRecord } from "./client-records";
import { invalidateClient } from "./clients";
import { OAuthError } from "./oauth-error";

/**
 * Dynamic Client Registration (RFC 7591) and its management protocol (RFC 7592). Off unless
 * `DYNAMIC_REGISTRATION=initial_access_token`; then registering needs an initial access token from an
 * operator, and each registered client manages itself with its registration access token. Both tokens
 * are stored as SHA-256 hashes. Clients registered here are never first-party, get no RFC 8707
 * audiences and only the standard OIDC scopes unless an operator grants more through the admin API.
 */

/** RFC 6750 §2.1 bearer credentials. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const CHALLENGE = 'Bearer realm="gatehouse"';

/** The part of RFC 7591 client information that is not metadata, as RFC 7592 §2.2 says a client may echo it back. */
const SERVER_FIELDS = ["registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"];

export interface Registration {
  row: ClientRow;
  /** The client secret, when this response created one. */
  secret: string | null;
  /** The registration access token this client manages itself with (the one presented, or the new one). */
  registrationAccessToken: string;
}

/** Throws unless registration is switched on. Off, `/register` does not exist: 404. */
export function requireRegistrationEnabled(deps: Pick<Deps, "config">): void {
  if (deps.config.dynamicRegistration === "off") {
    throw new OAuthError("access_denied", "dynamic client registration is not enabled on this server", { status: 404 });
  }
}

/** RFC 7591 §3.1: registers a client for the holder of a valid initial access token. */
export async function registerClient(deps: Deps, authorization: string | undefined, body: unknown, request: RequestContext): Promise<Registration> {
  requireRegistrationEnabled(deps);
  const token = bearerToken(authorization, "an initial access token is required (Authorization: Bearer …)");
  const tokens = initialAccessTokensStore(deps.db);
  const tokenHash = await sha256Hex(token);
  if (!(await tokens.findLive(tokenHash, deps.clock()))) throw invalidToken("the initial access token is invalid, expired or used");

  const metadata = resolveOrThrow(deps, parseOrThrow(body), []);
  // Consumed only now, so a request with bad metadata does not use up a single-use token; the
  // conditional update lets exactly one of two racing registrations have it.
  const now = deps.clock();
  if (!(await tokens.consume(tokenHash, now))) throw invalidToken("the initial access token is invalid, expired or used");
  const { row, secret } = await newClientRecord(metadata, now);
  const registrationAccessToken = randomToken(32);
  row.registrationTokenHash = await sha256Hex(registrationAccessToken);
  const store = clientsStore(deps.db);
  await deps.db.batch([
    store.insertStatement(row),
    deps.audit.statement(
      {
        type: "client.registered",
        outcome: "success",
        actorType: "anonymous",
        details: { client_id: row.clientId, fields: changedFields(body as Record<string, unknown>) },
      },
      request,
    ),
  ]);
  return { row: await storedOrFail(deps, row.clientId), secret, registrationAccessToken };
}

/** RFC 7592 §2.1: the client's current registration. */
export async function readRegistration(deps: Deps, clientId: string, authorization: string | undefined): Promise<Registration> {
  requireRegistrationEnabled(deps);
  const { row, token } = await authorizeManagement(deps, clientId, authorization);
  return { row, secret: null, registrationAccessToken: token };
}

/**
 * RFC 7592 §2.2: replaces the registration with the metadata sent (absent fields return to their defaults).
 * `client_id` must be sent and match; a `client_secret`, if sent, must be the current one (a client never
 * chooses its secret). What an operator granted (first-party, audiences, API scopes) is kept.
 */
export async function updateRegistration(
  deps: Deps,
  clientId: string,
  authorization: string | undefined,
  body: unknown,
  request: RequestContext,
): Promise<Registration> {
  requireRegistrationEnabled(deps);
  const { row, token } = await authorizeManagement(deps, clientId, authorization);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw metadataError("the request body must be a JSON object");
  const { client_id: sentId, client_secret: sentSecret, ...rest } = body as Record<string, unknown>;
  if (sentId !== clientId) throw metadataError("client_id must be sent and match the client being updated");
  if (sentSecret !== undefined) {
    const matches = typeof sentSecret === "string" && row.secretHash !== null && (await timingSafeEqualStrings(await sha256Hex(sentSecret), row.secretHash));
    if (!matches) throw metadataError("client_secret does not match the current secret; a client cannot choose its secret");
  }
  for (const field of SERVER_FIELDS) delete rest[field];

  const current = metadataOf(row);
  const metadata = resolveOrThrow(deps, parseOrThrow(rest), current.scope.split(" "));
  metadata.first_party = current.first_party;
  if (current.mfa_policy) metadata.mfa_policy = current.mfa_policy;
  if (current.risk_policy) metadata.risk_policy = current.risk_policy;
  metadata.allowed_resources = current.allowed_resources;
  const { set, secret } = await metadataChange(row, metadata, deps.clock());
  const store = clientsStore(deps.db);
  await deps.db.batch([
    store.updateStatement(clientId, set),
    deps.audit.statement(
      {
        type: "client.registration_updated",
        outcome: "success",
        actorType: "anonymous",
        actorId: clientId,
        details: { client_id: clientId, fields: changedFields(rest) },
      },
      request,
    ),
  ]);
  invalidateClient(clientId);
  return { row: await storedOrFail(deps, clientId), secret, registrationAccessToken: token };
}

/** RFC 7592 §2.3: the client deregisters itself; its refresh tokens are revoked. */
export async function deleteRegistration(deps: Deps, clientId: string, authorization: string | undefined, request: RequestContext): Promise<void> {
  requireRegistrationEnabled(deps);
  await authorizeManagement(deps, clientId, authorization);
  const store = clientsStore(deps.db);
  await deps.db.batch([
    store.deleteStatement(clientId),
    store.revokeRefreshTokensStatement(clientId, deps.clock()),
    store.deleteJtisStatement(clientId),
    deps.audit.statement(
      { type: "client.registration_deleted", outcome: "success", actorType: "anonymous", actorId: clientId, details: { client_id: clientId } },
      request,
    ),
  ]);
  invalidateClient(clientId);
}

/**
 * The client and the registration access token presented for it. An unknown client, a client registered
 * by an operator (it has no registration access token) and a wrong token are all the same 401 (RFC 7592 §2).
 */
async function authorizeManagement(deps: Deps, clientId: string, authorization: string | undefined): Promise<{ row: ClientRow; token: string }> {
  const token = bearerToken(authorization, "a registration access token is required (Authorization: Bearer …)");
  const row = await clientsStore(deps.db).findById(clientId);
  // Compared even for an unknown client, so both paths do the same work; no hash equals "".
  const matches = await timingSafeEqualStrings(await sha256Hex(token), row?.registrationTokenHash ?? "");
  if (!row || !matches) throw invalidToken("the registration access token is not valid for this client");
  return { row, token };
}

function bearerToken(authorization: string | undefined, missing: string): string {
  if (!authorization) throw new OAuthError("invalid_token", missing, { wwwAuthenticate: CHALLENGE });
  const token = BEARER.exec(authorization)?.[1];
  if (!token) throw invalidToken("the Authorization header must be Bearer <token>");
  return token;
}

function invalidToken(description: string): OAuthError {
  return new OAuthError("invalid_token", description, { wwwAuthenticate: `${CHALLENGE}, error="invalid_token"` });
}

function metadataError(description: string): OAuthError {
  return new OAuthError("invalid_client_metadata", description);
}

/** RFC 7591 §3.2.2: `invalid_redirect_uri` when a redirect URI is at fault, `invalid_client_metadata` otherwise. */
function registrationError(errors: MetadataError[]): OAuthError {
  const code = errors.some((error) => error.code === "invalid_redirect_uri") ? "invalid_redirect_uri" : "invalid_client_metadata";
  return new OAuthError(code, describeErrors(errors));
}

function parseOrThrow(body: unknown): ClientMetadataInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw metadataError("the request body must be a JSON object");
  const parsed = parseClientMetadata(body);
  if (!parsed.ok) throw registrationError(parsed.errors);
  return parsed.value;
}

function resolveOrThrow(deps: Deps, input: ClientMetadataInput, grantedScopes: string[]) {
  const resolved = resolveClientMetadata(input, {
    dynamic: true,
    allowLoopbackHttp: deps.config.environment !== "production",
    grantedScopes: grantedScopes.filter((scope) => !(STANDARD_SCOPES as readonly string[]).includes(scope)),
  });
  if (!resolved.ok) throw registrationError(resolved.errors);
  return resolved.metadata;
}

async function storedOrFail(deps: Deps, clientId: string): Promise<ClientRow> {
  const row = await clientsStore(deps.db).findById(clientId);
  if (!row) throw new OAuthError("server_error", "the registration could not be read back", { internal: `client ${clientId} missing after write` });
  return row;
}

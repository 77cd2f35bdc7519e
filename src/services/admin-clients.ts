import { sha256Hex } from "../lib/hashing";
import { randomToken } from "../lib/random";
import { clientsStore, initialAccessTokensStore } from "../storage/clients-store";
import type { ClientRow } from "../storage/oidc-schema";
import { ADMIN_ACTOR, type AdminOutcome, invalid, notFound, ok } from "./admin-outcome";
import { decodeCursor, encodeCursor, type Page, toPage } from "./admin-paging";
import type { Deps } from "./deps";
import { type ClientMetadataInput, type MetadataError, mergeMetadata, resolveClientMetadata } from "./oidc/client-metadata";
import { changedFields, metadataChange, metadataOf, newClientRecord, newSecret, usesSecret } from "./oidc/client-records";
import { invalidateClient } from "./oidc/clients";
import type { RequestContext } from "./request-context";

/** A client as stored, and its secret when this very operation created one (shown once, never again). */
export interface ClientWithSecret {
  row: ClientRow;
  secret: string | null;
}

export interface ClientQuery {
  limit: number;
  cursor?: string;
}

/** Initial access tokens live one day unless the operator says otherwise, at most 30 days. */
export const INITIAL_ACCESS_TOKEN_DEFAULT_SECONDS = 24 * 3600;
export const INITIAL_ACCESS_TOKEN_MAX_SECONDS = 30 * 24 * 3600;

const resolveOptions = (deps: Deps) => ({ dynamic: false, allowLoopbackHttp: deps.config.environment !== "production" });
const invalidMetadata = (errors: MetadataError[]) => invalid(errors.map((error) => ({ field: error.field, problem: error.code, detail: error.detail })));

/** Registers a client for an operator; the row and its audit event are one batch. */
export async function createClient(deps: Deps, input: ClientMetadataInput, request: RequestContext): Promise<AdminOutcome<ClientWithSecret>> {
  const resolved = resolveClientMetadata(input, resolveOptions(deps));
  if (!resolved.ok) return invalidMetadata(resolved.errors);
  const { row, secret } = await newClientRecord(resolved.metadata, deps.clock());
  const store = clientsStore(deps.db);
  await deps.db.batch([
    store.insertStatement(row),
    deps.audit.statement(
      { type: "admin.client_created", outcome: "success", ...ADMIN_ACTOR, details: { client_id: row.clientId, fields: changedFields(input) } },
      request,
    ),
  ]);
  const stored = await store.findById(row.clientId);
  return stored ? ok({ row: stored, secret }) : notFound("client");
}

export async function getClient(deps: Deps, clientId: string): Promise<AdminOutcome<ClientRow>> {
  const row = await clientsStore(deps.db).findById(clientId);
  return row ? ok(row) : notFound("client");
}

/** Clients in id order, a page at a time (the cursor is the last id shown). */
export async function listClients(deps: Deps, query: ClientQuery): Promise<AdminOutcome<Page<ClientRow>>> {
  let after: string | undefined;
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    if (typeof position?.after !== "string") return invalid([{ field: "cursor", problem: "cursor_invalid" }]);
    after = position.after;
  }
  const rows = await clientsStore(deps.db).list({ after, limit: query.limit + 1 });
  return ok(toPage(rows, query.limit, (last) => encodeCursor({ after: last.clientId })));
}

/**
 * Applies an operator's changes: sent fields replace, `null` resets a field to its default, absent fields
 * stay; the result must pass every rule again. Moving to a secret method issues a secret (in this response).
 */
export async function updateClient(
  deps: Deps,
  clientId: string,
  changes: ClientMetadataInput,
  request: RequestContext,
): Promise<AdminOutcome<ClientWithSecret>> {
  const store = clientsStore(deps.db);
  const current = await store.findById(clientId);
  if (!current) return notFound("client");
  const fields = changedFields(changes);
  if (fields.length === 0) return ok({ row: current, secret: null });
  const resolved = resolveClientMetadata(mergeMetadata(metadataOf(current), changes), resolveOptions(deps));
  if (!resolved.ok) return invalidMetadata(resolved.errors);
  const { set, secret } = await metadataChange(current, resolved.metadata, deps.clock());
  await deps.db.batch([
    store.updateStatement(clientId, set),
    deps.audit.statement({ type: "admin.client_updated", outcome: "success", ...ADMIN_ACTOR, details: { client_id: clientId, fields } }, request),
  ]);
  invalidateClient(clientId);
  const stored = await store.findById(clientId);
  return stored ? ok({ row: stored, secret }) : notFound("client");
}

/** Deletes the client: it can no longer authenticate, and its refresh tokens are revoked. */
export async function deleteClient(deps: Deps, clientId: string, request: RequestContext): Promise<AdminOutcome<null>> {
  const store = clientsStore(deps.db);
  if (!(await store.findById(clientId))) return notFound("client");
  await deps.db.batch([
    store.deleteStatement(clientId),
    store.revokeRefreshTokensStatement(clientId, deps.clock()),
    store.deleteJtisStatement(clientId),
    deps.audit.statement({ type: "admin.client_deleted", outcome: "success", ...ADMIN_ACTOR, details: { client_id: clientId } }, request),
  ]);
  invalidateClient(clientId);
  return ok(null);
}

/** A new secret, shown once; the old one stops working at once (its hash is overwritten). */
export async function rotateClientSecret(deps: Deps, clientId: string, request: RequestContext): Promise<AdminOutcome<ClientWithSecret>> {
  const store = clientsStore(deps.db);
  const current = await store.findById(clientId);
  if (!current) return notFound("client");
  if (!usesSecret(metadataOf(current).token_endpoint_auth_method)) return { ok: false, problem: { kind: "client_without_secret" } };
  const { secret, secretHash } = await newSecret();
  const now = deps.clock();
  await deps.db.batch([
    store.updateStatement(clientId, { secretHash, secretRotatedAt: now, updatedAt: now }),
    deps.audit.statement({ type: "admin.client_secret_rotated", outcome: "success", ...ADMIN_ACTOR, details: { client_id: clientId } }, request),
  ]);
  invalidateClient(clientId);
  const stored = await store.findById(clientId);
  return stored ? ok({ row: stored, secret }) : notFound("client");
}

/** An initial access token for `/register` (RFC 7591 §3): shown once, stored as a hash. */
export async function createInitialAccessToken(
  deps: Deps,
  input: { expiresInSeconds?: number; singleUse?: boolean },
  request: RequestContext,
): Promise<AdminOutcome<{ token: string; expiresAt: number; singleUse: boolean }>> {
  const token = randomToken(32);
  const now = deps.clock();
  const expiresAt = now + (input.expiresInSeconds ?? INITIAL_ACCESS_TOKEN_DEFAULT_SECONDS) * 1000;
  const singleUse = input.singleUse ?? true;
  await deps.db.batch([
    initialAccessTokensStore(deps.db).insertStatement({ tokenHash: await sha256Hex(token), createdAt: now, expiresAt, singleUse, usedAt: null }),
    deps.audit.statement(
      {
        type: "admin.initial_access_token_created",
        outcome: "success",
        ...ADMIN_ACTOR,
        details: { expires_at: new Date(expiresAt).toISOString(), single_use: singleUse },
      },
      request,
    ),
  ]);
  return ok({ token, expiresAt, singleUse });
}

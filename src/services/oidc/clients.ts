import { binaryToBytes } from "../../lib/encoding";
import { sha256Hex } from "../../lib/hashing";
import { timingSafeEqualDigests } from "../../lib/timing-safe";
import { clientsStore, usedJtisStore } from "../../storage/clients-store";
import type { ClientRow } from "../../storage/oidc-schema";
import type { Deps } from "../deps";
import { ASSERTION_CLOCK_SKEW_SECONDS, assertionSubject, JWT_BEARER_ASSERTION, type KeySet, keySetOf, verifyClientAssertion } from "./client-assertion";
import type { AssertionAlg, ClientMetadata } from "./client-metadata";
import { type Client, type ClientAuthMethod, type GrantType, isPublicClient } from "./client-model";
import { isLoopbackHost } from "./client-uris";
import { OAuthError } from "./oauth-error";

/**
 * Registered clients as the protocol endpoints see them: a short-lived per-isolate cache in front of D1,
 * and client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523, OIDC Core §9).
 */

/** How long an isolate trusts its copy of a client. Admin changes clear it here at once; other isolates catch up within this. */
export const CLIENT_CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 500;

interface CacheEntry {
  client: Client;
  signingAlg: AssertionAlg | undefined;
  /** Imported lazily on the first private_key_jwt authentication, then reused. */
  keys: KeySet | null | undefined;
  expiresAt: number;
  /** When a request of this isolate started re-reading the expired entry (0: nobody is). */
  refreshingSince: number;
}

/**
 * Past its TTL an entry is still served for this long while one request re-reads it (stale-while-revalidate):
 * no burst of identical reads at every expiry. No promise is shared between requests (Workers cancel a
 * request that awaits another request's promise); the others simply keep the stale copy meanwhile.
 */
const STALE_GRACE_MS = 30_000;
/** A re-read that has not finished after this long (its request went away) is taken over by the next request. */
const REFRESH_TAKEOVER_MS = 5_000;

const cache = new Map<string, CacheEntry>();

/** Only ids we could have issued are looked up: bounded length, URL-safe characters. */
const CLIENT_ID = /^[A-Za-z0-9_.~-]{1,128}$/;

/** The client with this id, or `null`. Served from the isolate's cache for up to 30 s once read. */
export async function findClient(deps: Pick<Deps, "db" | "clock">, clientId: string): Promise<Client | null> {
  return (await lookup(deps, clientId, false))?.entry.client ?? null;
}

/** Forgets this isolate's copy of a client (after an update, a secret rotation or a deletion). */
export function invalidateClient(clientId: string): void {
  cache.delete(clientId);
}

/** Whether the client registered this grant type. */
export function clientAllowsGrant(client: Client, grant: GrantType | string): boolean {
  return (client.grantTypes as string[]).includes(grant);
}

/**
 * Whether a browser on `origin` may call our token endpoints for this client (CORS): only public clients,
 * and only from the origin of one of their https or loopback-http redirect URIs.
 */
export function corsOriginAllowed(client: Client, origin: string | null | undefined): boolean {
  if (!isPublicClient(client) || !origin || origin === "null") return false;
  return client.redirectUris.some((uri) => {
    try {
      const url = new URL(uri);
      const web = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
      return web && url.origin === origin;
    } catch {
      return false;
    }
  });
}

/** A stored row as the protocol code uses it. The metadata was validated and normalized when written. */
function toClient(row: ClientRow): Client {
  const metadata = row.metadata as unknown as ClientMetadata;
  return {
    clientId: row.clientId,
    clientName: metadata.client_name ?? row.clientId,
    redirectUris: metadata.redirect_uris ?? [],
    postLogoutRedirectUris: metadata.post_logout_redirect_uris ?? [],
    grantTypes: metadata.grant_types ?? ["authorization_code"],
    tokenEndpointAuthMethod: metadata.token_endpoint_auth_method ?? "client_secret_basic",
    scopes: (metadata.scope ?? "").split(" ").filter(Boolean),
    firstParty: metadata.first_party === true,
    mfaPolicy: metadata.mfa_policy ?? null,
    riskPolicy: metadata.risk_policy ?? null,
    requireVerified: metadata.require_verified ?? [],
    backchannelLogoutUri: metadata.backchannel_logout_uri ?? null,
    backchannelLogoutSessionRequired: metadata.backchannel_logout_session_required === true,
    jwks: metadata.jwks ?? null,
    idTokenSignedResponseAlg: metadata.id_token_signed_response_alg ?? "RS256",
    secretHash: row.secretHash,
    allowedResources: metadata.allowed_resources ?? [],
    applicationType: metadata.application_type === "native" ? "native" : "web",
  };
}

export interface ClientCredentials {
  /** The `Authorization` request header, if any. */
  authorization: string | undefined;
  /** The form body of the token-endpoint request (`client_id`, `client_secret`, `client_assertion`, …). */
  form: Record<string, string>;
  /** This server's token endpoint URL, an accepted `aud` of client assertions. */
  tokenEndpoint: string;
}

/**
 * Authenticates the client of a token-endpoint request with exactly one method (RFC 6749 §2.3), which must
 * be the one it registered: client_secret_basic, client_secret_post, private_key_jwt or none (public client).
 * Every failure is the same `invalid_client` (401) whatever the cause, so an unknown id, a wrong secret and
 * a wrong method look alike; the cause goes to the log only.
 */
export async function authenticateClient(deps: Pick<Deps, "db" | "clock" | "config">, input: ClientCredentials): Promise<Client> {
  const presented = presentedCredentials(input);
  if (presented.method === "private_key_jwt") return authenticateWithAssertion(deps, presented.clientId, presented.assertion, input.tokenEndpoint);
  return authenticateWithSecret(deps, presented.method, presented.clientId, presented.secret);
}

type Presented =
  | { method: "client_secret_basic" | "client_secret_post"; clientId: string; secret: string }
  | { method: "none"; clientId: string; secret: null }
  | { method: "private_key_jwt"; clientId: string; assertion: string };

function failure(internal: string): OAuthError {
  return new OAuthError("invalid_client", "client authentication failed", { wwwAuthenticate: 'Basic realm="gatehouse"', internal });
}

/** Which method the request uses; more than one is `invalid_request` (RFC 6749 §5.2), a malformed one `invalid_client`. */
function presentedCredentials({ authorization, form }: ClientCredentials): Presented {
  const basic = authorization !== undefined && authorization !== "";
  const post = form.client_secret !== undefined;
  const jwt = form.client_assertion !== undefined || form.client_assertion_type !== undefined;
  if (Number(basic) + Number(post) + Number(jwt) > 1) {
    throw new OAuthError("invalid_request", "use exactly one client authentication method", { internal: `basic=${basic} post=${post} jwt=${jwt}` });
  }
  if (basic) {
    const credentials = parseBasic(authorization);
    if (!credentials) throw failure("malformed Authorization header or not the Basic scheme");
    if (form.client_id !== undefined && form.client_id !== credentials.clientId) throw failure("client_id in the form differs from the Basic credentials");
    return { method: "client_secret_basic", ...credentials };
  }
  if (jwt) {
    if (form.client_assertion_type !== JWT_BEARER_ASSERTION) throw failure(`unsupported client_assertion_type ${form.client_assertion_type}`);
    const assertion = form.client_assertion;
    const subject = assertion ? assertionSubject(assertion) : null;
    if (!assertion || !subject) throw failure("client_assertion missing or not a JWT with sub");
    if (form.client_id !== undefined && form.client_id !== subject) throw failure("client_id in the form differs from the assertion's sub");
    return { method: "private_key_jwt", clientId: subject, assertion };
  }
  if (!form.client_id) throw failure("no client credentials and no client_id");
  if (post) return { method: "client_secret_post", clientId: form.client_id, secret: form.client_secret as string };
  return { method: "none", clientId: form.client_id, secret: null };
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * RFC 6749 §2.3.1: `Basic base64(urlencode(client_id) ":" urlencode(client_secret))`, each part
 * application/x-www-form-urlencoded (so `+` is a space). `null` for anything else.
 */
function parseBasic(header: string): { clientId: string; secret: string } | null {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    // The regular expression admits only base64 characters; atob still refuses a bad length or padding.
    decoded = STRICT_UTF8.decode(binaryToBytes(atob(match[1])));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
  try {
    const clientId = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    return clientId ? { clientId, secret } : null;
  } catch {
    return null;
  }
}

/** A hash no secret has, compared against when the client is unknown so that path does the same work. */
const NO_SECRET_HASH = "0".repeat(64);

async function authenticateWithSecret(deps: Pick<Deps, "db" | "clock">, method: ClientAuthMethod, clientId: string, secret: string | null): Promise<Client> {
  const secretHash = secret === null ? null : await sha256Hex(secret);
  const check = async (entry: CacheEntry | null): Promise<string | null> => {
    if (!entry) {
      if (secretHash) timingSafeEqualDigests(secretHash, NO_SECRET_HASH);
      return "unknown client";
    }
    if (entry.client.tokenEndpointAuthMethod !== method) return `client registered ${entry.client.tokenEndpointAuthMethod}, used ${method}`;
    if (secretHash === null) return null;
    const matches = timingSafeEqualDigests(secretHash, entry.client.secretHash ?? NO_SECRET_HASH);
    return matches && entry.client.secretHash ? null : "wrong secret";
  };
  let found = await lookup(deps, clientId, false);
  let problem = await check(found?.entry ?? null);
  // A cached copy may predate a secret rotation or a method change: one fresh read decides.
  if (problem && found?.fromCache) {
    found = await lookup(deps, clientId, true);
    problem = await check(found?.entry ?? null);
  }
  if (problem || !found) throw failure(problem ?? "unknown client");
  return found.entry.client;
}

async function authenticateWithAssertion(
  deps: Pick<Deps, "db" | "clock" | "config">,
  clientId: string,
  assertion: string,
  tokenEndpoint: string,
): Promise<Client> {
  const verify = async (entry: CacheEntry | null) => {
    if (!entry) return { ok: false as const, reason: "unknown client" };
    if (entry.client.tokenEndpointAuthMethod !== "private_key_jwt") {
      return { ok: false as const, reason: `client registered ${entry.client.tokenEndpointAuthMethod}, used private_key_jwt` };
    }
    if (entry.keys === undefined) entry.keys = keySetOf(entry.client);
    if (!entry.keys) return { ok: false as const, reason: "client has no jwks" };
    return verifyClientAssertion(deps, entry.client, entry.keys, assertion, { tokenEndpoint, signingAlg: entry.signingAlg });
  };
  let found = await lookup(deps, clientId, false);
  let result = await verify(found?.entry ?? null);
  // The client may have registered new keys since this isolate cached it.
  if (!result.ok && found?.fromCache) {
    found = await lookup(deps, clientId, true);
    result = await verify(found?.entry ?? null);
  }
  if (!result.ok || !found) throw failure(result.ok ? "unknown client" : result.reason);
  // Recorded only after the signature checked out, so nobody can burn another client's jti values.
  const fresh = await usedJtisStore(deps.db).record(clientId, result.payload.jti, (result.payload.exp + ASSERTION_CLOCK_SKEW_SECONDS) * 1000, deps.clock());
  if (!fresh) throw failure("replayed jti");
  return found.entry.client;
}

async function lookup(deps: Pick<Deps, "db" | "clock">, clientId: string, bypassCache: boolean): Promise<{ entry: CacheEntry; fromCache: boolean } | null> {
  if (!CLIENT_ID.test(clientId)) return null;
  const now = deps.clock();
  const cached = bypassCache ? undefined : cache.get(clientId);
  if (cached) {
    if (cached.expiresAt > now) return { entry: cached, fromCache: true };
    const refreshing = now - cached.refreshingSince < REFRESH_TAKEOVER_MS;
    if (refreshing && now < cached.expiresAt + STALE_GRACE_MS) return { entry: cached, fromCache: true };
    cached.refreshingSince = now;
  }
  const row = await clientsStore(deps.db).findById(clientId);
  if (!row) {
    cache.delete(clientId);
    return null;
  }
  const client = freeze(toClient(row));
  const entry: CacheEntry = {
    client,
    signingAlg: (row.metadata as unknown as ClientMetadata).token_endpoint_auth_signing_alg,
    keys: undefined,
    expiresAt: now + CLIENT_CACHE_TTL_MS,
    refreshingSince: 0,
  };
  cache.delete(clientId);
  if (cache.size >= CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(clientId, entry);
  return { entry, fromCache: false };
}

/** Cached clients are shared between requests, so nobody may change one in place. */
function freeze(client: Client): Client {
  for (const value of Object.values(client)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(client);
}

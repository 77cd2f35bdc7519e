import * as oauth from "oauth4webapi";

/** An issuer's discovery document is reused for this long in an isolate, then fetched again. */
export const DISCOVERY_TTL_MS = 10 * 60 * 1000;
/**
 * The JWKS lives in the same per-issuer entry. oauth4webapi refuses a kept JWKS older than five minutes
 * and fetches it again itself, so five minutes is its effective lifetime.
 */
export const JWKS_MAX_AGE_MS = 5 * 60 * 1000;
/** After a refetch forced by an unknown `kid`, the next forced one waits this long (the provider is never hammered). */
export const JWKS_REFETCH_COOLDOWN_MS = 10 * 1000;

/** One issuer's metadata and keys, shared by every login through it in this isolate. */
export interface UpstreamMetadata {
  as: oauth.AuthorizationServer;
  fetchedAt: number;
  /** oauth4webapi's exported JWKS cache (`{jwks, uat}`), which the library fills and refreshes in place. */
  jwks: oauth.JWKSCacheInput;
  /** When an unknown `kid` last forced a refetch. */
  forcedAt: number;
}

const entries = new Map<string, UpstreamMetadata>();
const loading = new Map<string, Promise<UpstreamMetadata>>();

/**
 * The issuer's discovery document from this isolate's cache, fetched (once, even for concurrent logins)
 * when missing or older than `DISCOVERY_TTL_MS`. A failed fetch is not cached: the next login tries again.
 */
export async function upstreamMetadata(issuer: string, discover: () => Promise<oauth.AuthorizationServer>): Promise<UpstreamMetadata> {
  const cached = entries.get(issuer);
  if (cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) return cached;
  const running = loading.get(issuer);
  if (running) return running;
  const load = discover()
    .then((as) => {
      // A new document starts with no keys: its `jwks_uri` may have changed.
      const entry: UpstreamMetadata = { as, fetchedAt: Date.now(), jwks: {}, forcedAt: 0 };
      entries.set(issuer, entry);
      return entry;
    })
    .finally(() => loading.delete(issuer));
  loading.set(issuer, load);
  return load;
}

/**
 * Checks the signature of the ID token in `response` against the issuer's JWKS (by oauth4webapi), with the
 * keys kept in `entry`. A token whose `kid` the kept keys do not hold makes one refetch (the provider has
 * rotated its keys) unless the library already fetched during this check or a forced refetch happened
 * within `JWKS_REFETCH_COOLDOWN_MS`; a `kid` still unknown then is refused.
 */
export async function verifyIdTokenSignature(entry: UpstreamMetadata, response: Response, options: oauth.HttpRequestOptions<"GET">): Promise<void> {
  const before = "uat" in entry.jwks ? entry.jwks.uat : undefined;
  // A fresh copy of the metadata each time, so oauth4webapi takes the keys from `entry.jwks` (its own
  // cache is keyed by the metadata object), not from a copy of its own that this module cannot clear.
  const check = () => oauth.validateApplicationLevelSignature({ ...entry.as }, response, { ...options, [oauth.jwksCache]: entry.jwks });
  try {
    await check();
  } catch (error) {
    if (!(error instanceof oauth.OperationProcessingError && error.code === oauth.KEY_SELECTION)) throw error;
    const fetchedNow = ("uat" in entry.jwks ? entry.jwks.uat : undefined) !== before;
    const now = Date.now();
    if (fetchedNow || now - entry.forcedAt < JWKS_REFETCH_COOLDOWN_MS) throw error;
    entry.forcedAt = now;
    entry.jwks = {};
    await check();
  }
}

/** Forgets every cached document and key set (tests; a changed provider configuration needs no call). */
export function clearUpstreamMetadataCache(): void {
  entries.clear();
  loading.clear();
}

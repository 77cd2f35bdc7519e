import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Database } from "../../storage/db";
import type { SigningKeyRow } from "../../storage/oidc-schema";
import { signingKeysStore } from "../../storage/signing-keys-store";
import type { Clock } from "../clock";
import type { SigningAlg } from "./client-model";
import { decryptSecret, encryptSecret } from "./key-encryption";

export const SIGNING_ALGS: SigningAlg[] = ["ES256", "EdDSA", "RS256"];
const KEY_PURPOSE = "signing-key";
/** How often an isolate re-reads the key table, so a rotation elsewhere reaches it. */
const RELOAD_INTERVAL_MS = 60_000;
/** A retired key stays published this long: longer than any token it signed lives. */
export const RETIRED_KEY_GRACE_MS = 24 * 3600 * 1000;

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
}

/** Everything signing and verifying needs, held in the isolate: no storage read per request. */
export interface KeyRing {
  /** The newest active key per algorithm. */
  signing: Map<SigningAlg, SigningKey>;
  /** Every published public key by kid (next, active, retired). */
  publicKeys: Map<string, { alg: SigningAlg; key: CryptoKey }>;
  /** The JWKS document, serialized once. */
  jwksJson: string;
  loadedAt: number;
}

type KeyDeps = { db: Database; clock: Clock; config: { keyEncryptionKey: string } };

let cached: { ring: KeyRing; secret: string } | null = null;
/** When a request last started reloading a stale ring; others keep using the stale one meanwhile. */
let reloadStartedAt = 0;
/** How long other requests keep serving a stale ring while one request reloads it. */
const RELOAD_GRACE_MS = 5_000;

/**
 * The isolate's key ring, loaded (and bootstrapped on first use) from D1 at most about once a minute.
 * No promise is shared between requests: the Workers runtime cancels a request that awaits another
 * request's promise once that request has ended. While one request reloads a stale ring, the others
 * go on signing with it (its keys stay valid: rotation publishes keys ahead and retires them late).
 */
export async function getKeyRing(deps: KeyDeps): Promise<KeyRing> {
  const now = deps.clock();
  const usable = cached !== null && cached.secret === deps.config.keyEncryptionKey ? cached.ring : null;
  if (usable && (now - usable.loadedAt < RELOAD_INTERVAL_MS || now - reloadStartedAt < RELOAD_GRACE_MS)) return usable;
  reloadStartedAt = now;
  const ring = await loadKeyRing(deps);
  cached = { ring, secret: deps.config.keyEncryptionKey };
  return ring;
}

/** Forgets the cached ring (after a rotation in this isolate, and in tests). */
export function resetKeyRingCache(): void {
  cached = null;
  reloadStartedAt = 0;
}

async function loadKeyRing(deps: KeyDeps): Promise<KeyRing> {
  const store = signingKeysStore(deps.db);
  let rows = await store.listPublished();
  const missing = SIGNING_ALGS.filter((alg) => !rows.some((row) => row.alg === alg && row.status === "active"));
  if (missing.length > 0) {
    // First start (or a new algorithm): an active key to sign with and a next key published ahead of its use.
    const now = deps.clock();
    const inserts = [];
    for (const alg of missing) {
      inserts.push(store.insertStatement(await newKeyRow(deps, alg, "active", now)));
      if (!rows.some((row) => row.alg === alg && row.status === "next")) inserts.push(store.insertStatement(await newKeyRow(deps, alg, "next", now)));
    }
    await deps.db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
    rows = await store.listPublished();
  }
  return buildRing(deps, rows);
}

async function buildRing(deps: KeyDeps, rows: SigningKeyRow[]): Promise<KeyRing> {
  const signing = new Map<SigningAlg, SigningKey>();
  const publicKeys = new Map<string, { alg: SigningAlg; key: CryptoKey }>();
  const jwks: JWK[] = [];
  // Newest first, so the first active key seen per algorithm is the one that signs.
  for (const row of [...rows].sort((a, b) => b.createdAt - a.createdAt)) {
    const publicJwk = row.publicJwk as JWK;
    publicKeys.set(row.kid, { alg: row.alg, key: (await importJWK(publicJwk, row.alg)) as CryptoKey });
    jwks.push({ ...publicJwk, kid: row.kid, alg: row.alg, use: "sig" });
    if (row.status === "active" && !signing.has(row.alg)) {
      const privateJwk = JSON.parse(await decryptSecret(deps.config.keyEncryptionKey, KEY_PURPOSE, row.encryptedPrivateJwk)) as JWK;
      signing.set(row.alg, { kid: row.kid, alg: row.alg, privateKey: (await importJWK(privateJwk, row.alg)) as CryptoKey });
    }
  }
  return { signing, publicKeys, jwksJson: JSON.stringify({ keys: jwks }), loadedAt: deps.clock() };
}

async function newKeyRow(deps: KeyDeps, alg: SigningAlg, status: "active" | "next", now: number) {
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
    ...(alg === "RS256" ? { modulusLength: 2048 } : {}),
  });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg,
    publicJwk: publicJwk as Record<string, unknown>,
    encryptedPrivateJwk: await encryptSecret(deps.config.keyEncryptionKey, KEY_PURPOSE, JSON.stringify(await exportJWK(privateKey))),
    status,
    createdAt: now,
    activatedAt: status === "active" ? now : null,
  };
}

/**
 * Rotation: for each algorithm the active key retires (still published until its tokens expire), the
 * next key (published since the last rotation) starts signing, and a new next key is published.
 */
export async function rotateKeys(deps: KeyDeps): Promise<{ activated: string[]; retired: string[] }> {
  const store = signingKeysStore(deps.db);
  await getKeyRing(deps);
  const rows = await store.listPublished();
  const now = deps.clock();
  const statements = [];
  const activated: string[] = [];
  const retired: string[] = [];
  for (const alg of SIGNING_ALGS) {
    const next = rows.filter((row) => row.alg === alg && row.status === "next").sort((a, b) => b.createdAt - a.createdAt)[0];
    const nextRow = next ?? (await newKeyRow(deps, alg, "next", now));
    if (!next) statements.push(store.insertStatement(nextRow));
    for (const row of rows.filter((row) => row.alg === alg && row.status === "active")) {
      statements.push(store.setStatusStatement(row.kid, "retired", now));
      retired.push(row.kid);
    }
    statements.push(store.setStatusStatement(nextRow.kid, "active", now));
    activated.push(nextRow.kid);
    statements.push(store.insertStatement(await newKeyRow(deps, alg, "next", now)));
  }
  statements.push(store.deleteRetiredBeforeStatement(now - RETIRED_KEY_GRACE_MS));
  await deps.db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  resetKeyRingCache();
  return { activated, retired };
}

/** Signing keys rotate after this long (the Cron Trigger checks daily). */
export const ROTATION_INTERVAL_MS = 30 * 24 * 3600 * 1000;

/** The scheduled rotation: rotates when the newest active key is older than the interval. */
export async function rotateKeysIfDue(deps: KeyDeps): Promise<boolean> {
  const rows = await signingKeysStore(deps.db).listPublished();
  const newestActive = Math.max(0, ...rows.filter((row) => row.status === "active").map((row) => row.activatedAt ?? row.createdAt));
  if (newestActive > 0 && deps.clock() - newestActive < ROTATION_INTERVAL_MS) return false;
  await rotateKeys(deps);
  return true;
}

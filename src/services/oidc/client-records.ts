import { sha256Hex } from "../../lib/hashing";
import { randomToken } from "../../lib/random";
import type { NewClientRow } from "../../storage/clients-store";
import type { ClientRow } from "../../storage/oidc-schema";
import type { ClientMetadata, MetadataError } from "./client-metadata";
import type { ClientAuthMethod } from "./client-model";

/**
 * Minting and changing client records, shared by the admin API and dynamic registration. Secrets are
 * 256 random bits and stored as SHA-256 hashes: with that much entropy a fast hash is enough, and
 * `/token` stays fast. The plain secret exists only in the one response that shows it.
 */

/** Methods that authenticate with a client secret. */
export function usesSecret(method: ClientAuthMethod): boolean {
  return method === "client_secret_basic" || method === "client_secret_post";
}

/** 128 random bits, base64url (22 characters). */
export function newClientId(): string {
  return randomToken(16);
}

/** A fresh secret and its hash. */
export async function newSecret(): Promise<{ secret: string; secretHash: string }> {
  const secret = randomToken(32);
  return { secret, secretHash: await sha256Hex(secret) };
}

/** A new row for `metadata`, with a secret when its method needs one. */
export async function newClientRecord(metadata: ClientMetadata, now: number): Promise<{ row: NewClientRow; secret: string | null }> {
  const issued = usesSecret(metadata.token_endpoint_auth_method) ? await newSecret() : null;
  const row: NewClientRow = {
    clientId: newClientId(),
    secretHash: issued?.secretHash ?? null,
    metadata: metadata as unknown as Record<string, unknown>,
    registrationTokenHash: null,
    createdAt: now,
    updatedAt: now,
    secretRotatedAt: null,
  };
  return { row, secret: issued?.secret ?? null };
}

/**
 * The column changes for new metadata: a client moving to a secret method without a secret gets one
 * (shown in that response), a client moving away from secrets loses its hash.
 */
export async function metadataChange(
  current: ClientRow,
  metadata: ClientMetadata,
  now: number,
): Promise<{ set: Partial<NewClientRow>; secret: string | null }> {
  const set: Partial<NewClientRow> = { metadata: metadata as unknown as Record<string, unknown>, updatedAt: now };
  let secret: string | null = null;
  if (usesSecret(metadata.token_endpoint_auth_method) && !current.secretHash) {
    const issued = await newSecret();
    secret = issued.secret;
    set.secretHash = issued.secretHash;
    set.secretRotatedAt = now;
  } else if (!usesSecret(metadata.token_endpoint_auth_method) && current.secretHash) {
    set.secretHash = null;
    set.secretRotatedAt = now;
  }
  return { set, secret };
}

/** The stored metadata of a row (validated and normalized when it was written). */
export function metadataOf(row: ClientRow): ClientMetadata {
  return row.metadata as unknown as ClientMetadata;
}

/** Wire names of the top-level fields a change touched, for the audit trail (names only, never values). */
export function changedFields(input: Record<string, unknown>): string[] {
  return Object.keys(input).filter((key) => input[key] !== undefined);
}

/** One line per error, for RFC 7591's single `error_description`. */
export function describeErrors(errors: MetadataError[]): string {
  return errors.map((error) => `${error.field}: ${error.detail}`).join("; ");
}

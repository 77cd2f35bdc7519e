import type { ClientMetadata } from "../services/oidc/client-metadata";
import { metadataOf } from "../services/oidc/client-records";
import type { ClientRow } from "../storage/oidc-schema";

/** A client on the wire (RFC 7591 §3.2.1): its id, when it was issued, the secret if just created, then its metadata. */
export interface ClientInformation extends ClientMetadata {
  client_id: string;
  client_secret?: string;
  /** Seconds since the epoch (RFC 7591). */
  client_id_issued_at: number;
  /** `0`: our secrets do not expire (present only for clients that have a secret). */
  client_secret_expires_at?: number;
}

/** The wire form of a stored client, for the admin API and `/register`. `secret` only in the one response that created it. */
export function clientInformation(row: ClientRow, secret: string | null = null): ClientInformation {
  return {
    client_id: row.clientId,
    ...(secret ? { client_secret: secret } : {}),
    client_id_issued_at: Math.floor(row.createdAt / 1000),
    ...(row.secretHash ? { client_secret_expires_at: 0 } : {}),
    ...metadataOf(row),
  };
}

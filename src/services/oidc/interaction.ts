import { base64UrlDecode, base64UrlEncode, utf8 } from "../../lib/encoding";
import { hmacSha256Hex } from "../../lib/hashing";
import { timingSafeEqualStrings } from "../../lib/timing-safe";

/**
 * A paused authorization request (waiting for login or consent), carried in the URL as
 * `base64url(json).mac`. The MAC (HMAC-SHA-256 under a key derived from KEY_ENCRYPTION_KEY) stops a
 * browser from editing it, e.g. to drop the "log in again after this time" condition of `prompt=login`.
 */
export interface Interaction {
  /** The authorization request's parameters (after PAR resolution). */
  params: Record<string, string>;
  /** The login must have happened at or after this time (ms), for prompt=login and max_age. */
  authAfter: number;
  /** Consent was already shown and given in this interaction. */
  consented?: boolean;
  expiresAt: number;
}

const LIFETIME_MS = 30 * 60 * 1000;

export async function sealInteraction(secret: string, interaction: Omit<Interaction, "expiresAt">, now: number): Promise<string> {
  const body = base64UrlEncode(utf8.encode(JSON.stringify({ ...interaction, expiresAt: now + LIFETIME_MS })));
  return `${body}.${await hmacSha256Hex(`interaction:${secret}`, body)}`;
}

export async function openInteraction(secret: string, sealed: string, now: number): Promise<Interaction | null> {
  const [body, mac, ...rest] = sealed.split(".");
  if (!body || !mac || rest.length > 0) return null;
  if (!(await timingSafeEqualStrings(mac, await hmacSha256Hex(`interaction:${secret}`, body)))) return null;
  const bytes = base64UrlDecode(body);
  if (!bytes) return null;
  try {
    const interaction = JSON.parse(new TextDecoder().decode(bytes)) as Interaction;
    return interaction.expiresAt > now ? interaction : null;
  } catch {
    return null;
  }
}

import { base64UrlDecode, base64UrlEncode, utf8 } from "../lib/encoding";
import { randomBytes } from "../lib/random";

/**
 * Password hashes as PHC strings: `$pbkdf2-sha256$v=1$i=100000$<salt>$<hash>` (base64url, no padding).
 * `v` names the pepper scheme (1: the password is first keyed with HMAC-SHA-256 under PASSWORD_PEPPER),
 * `i` the iteration count, so parameters can rise later and old hashes are upgraded at the next login.
 * PBKDF2 via WebCrypto: the platform's native implementation, no hand-written crypto.
 */
export const CURRENT_ITERATIONS = 100_000;
/** Cloudflare's production runtime refuses more ("iteration counts above 100000 are not supported"); local workerd does not. */
export const MAX_WORKERS_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PEPPER_VERSION = 1;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, phc: string): Promise<{ valid: boolean; needsRehash: boolean }>;
}

interface ParsedHash {
  version: number;
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

export function createPasswordHasher(pepper: string, iterations = CURRENT_ITERATIONS): PasswordHasher {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_WORKERS_ITERATIONS) {
    throw new TypeError(`PBKDF2 iterations must be an integer from 1 to ${MAX_WORKERS_ITERATIONS}`);
  }
  const pepperKey = crypto.subtle.importKey("raw", utf8.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

  async function derive(password: string, salt: Uint8Array, rounds: number): Promise<Uint8Array> {
    const peppered = await crypto.subtle.sign("HMAC", await pepperKey, utf8.encode(password.normalize("NFKC")));
    const key = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
    return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: rounds }, key, HASH_BYTES * 8));
  }

  return {
    async hash(password) {
      const salt = randomBytes(SALT_BYTES);
      const hash = await derive(password, salt, iterations);
      return `$pbkdf2-sha256$v=${PEPPER_VERSION}$i=${iterations}$${base64UrlEncode(salt)}$${base64UrlEncode(hash)}`;
    },
    async verify(password, phc) {
      const parsed = parsePhc(phc);
      if (!parsed || parsed.version !== PEPPER_VERSION || parsed.iterations < 1 || parsed.iterations > MAX_WORKERS_ITERATIONS) {
        return { valid: false, needsRehash: false };
      }
      const candidate = await derive(password, parsed.salt, parsed.iterations);
      const valid = candidate.length === parsed.hash.length && crypto.subtle.timingSafeEqual(candidate, parsed.hash);
      return { valid, needsRehash: valid && parsed.iterations !== iterations };
    },
  };
}

/** Parses our PHC string; `null` for anything else. */
export function parsePhc(phc: string): ParsedHash | null {
  const match = /^\$pbkdf2-sha256\$v=(\d+)\$i=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(phc);
  if (!match) return null;
  const salt = base64UrlDecode(match[3] ?? "");
  const hash = base64UrlDecode(match[4] ?? "");
  if (!salt || !hash) return null;
  return { version: Number(match[1]), iterations: Number(match[2]), salt, hash };
}

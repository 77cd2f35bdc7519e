import { hmacSha256Hex, sha256Hex } from "../../lib/hashing";
import { randomDigits, randomId, randomToken } from "../../lib/random";
import { timingSafeEqualStrings } from "../../lib/timing-safe";
import { type OneTimeCodeChannel, type OneTimeCodePurpose, oneTimeCodesStore } from "../../storage/one-time-codes-store";
import type { OneTimeCodeRow } from "../../storage/schema";
import type { Deps } from "../deps";

/** Wrong tries one code survives; the next wrong one (or any try after) kills it. */
export const MAX_ATTEMPTS_PER_CODE = 5;

type CodeDeps = Pick<Deps, "db" | "clock" | "config">;

export interface IssuedCode {
  id: string;
  code: string;
  /** The link token (magic links), or null. */
  token: string | null;
  /** Run in one `db.batch`: supersede the open secrets of the same kind, insert this one. */
  statements: ReturnType<ReturnType<typeof oneTimeCodesStore>["replaceStatements"]>;
}

/**
 * A new 6-digit code (and, with `withToken`, a 256-bit link token whose code is derived from it) for one
 * user, channel and purpose. Only hashes are stored; the code's HMAC is keyed by a server secret.
 */
export async function issueOneTimeCode(
  deps: CodeDeps,
  input: {
    userId: string;
    channel: OneTimeCodeChannel;
    purpose: OneTimeCodePurpose;
    destination: string;
    lifetimeMs: number;
    withToken?: boolean;
    /** The row id, when the caller had to name it before (a magic-link cookie carries it). */
    id?: string;
    /** SHA-256 of the requesting browser's secret (magic links). */
    browserHash?: string;
    /** The app the login is for (magic links: their pages in another browser wear its branding). */
    clientId?: string | null;
  },
): Promise<IssuedCode> {
  const now = deps.clock();
  const id = input.id ?? randomId();
  const token = input.withToken ? randomToken(32) : null;
  const code = token ? await codeForToken(deps, token) : randomDigits(6);
  const statements = oneTimeCodesStore(deps.db).replaceStatements(
    {
      id,
      userId: input.userId,
      channel: input.channel,
      purpose: input.purpose,
      destination: input.destination,
      tokenHash: token ? await sha256Hex(token) : null,
      codeHash: await codeHash(deps, id, code),
      browserHash: input.browserHash ?? null,
      clientId: input.clientId ?? null,
      createdAt: now,
      expiresAt: now + input.lifetimeMs,
    },
    now,
  );
  return { id, code, token, statements };
}

/**
 * The 6-digit code that belongs to a link token. Derived (HMAC under a server secret), not stored, so the
 * link opened on another device can show it without the table ever holding a code in clear.
 */
export async function codeForToken(deps: Pick<Deps, "config">, token: string): Promise<string> {
  const mac = await hmacSha256Hex(deps.config.keyEncryptionKey, `magic-link-code:${token}`);
  // 64 bits modulo 10^6: the bias is below 10^-13, far under anything observable.
  return (BigInt(`0x${mac.slice(0, 16)}`) % 1_000_000n).toString().padStart(6, "0");
}

/**
 * Checks a typed code against one open secret. Every try counts on the row, whatever its result; the
 * fifth wrong try kills the code, and so does any try after that. Returns the consumed row on success.
 */
export async function redeemOneTimeCode(deps: CodeDeps, row: OneTimeCodeRow, code: string): Promise<OneTimeCodeRow | null> {
  const store = oneTimeCodesStore(deps.db);
  const now = deps.clock();
  const attempts = await store.countAttempt(row.id, now);
  if (attempts === undefined) return null;
  if (attempts > MAX_ATTEMPTS_PER_CODE) {
    await store.consume(row.id, now);
    return null;
  }
  const digits = code.replace(/\s+/g, "");
  const matches = /^\d{6}$/.test(digits) && (await timingSafeEqualStrings(row.codeHash, await codeHash(deps, row.id, digits)));
  if (!matches) {
    if (attempts >= MAX_ATTEMPTS_PER_CODE) await store.consume(row.id, now);
    return null;
  }
  return (await store.consume(row.id, now)) ?? null;
}

/**
 * `redeemOneTimeCode` when there is a secret to check; otherwise the same statements against nothing, so
 * "no such account" and "no open code" take as long as a wrong code and tell an observer nothing.
 */
export async function redeemIfOpen(deps: CodeDeps, row: OneTimeCodeRow | undefined | null, code: string): Promise<OneTimeCodeRow | null> {
  if (row) return redeemOneTimeCode(deps, row, code);
  await oneTimeCodesStore(deps.db).countAttempt("", deps.clock());
  await codeHash(deps, "", code);
  return null;
}

/** Codes have only 20 bits, so they are keyed with a server secret: a copy of the table alone does not reveal them. */
function codeHash(deps: Pick<Deps, "config">, id: string, code: string): Promise<string> {
  return hmacSha256Hex(deps.config.keyEncryptionKey, `one-time-code:${id}:${code}`);
}

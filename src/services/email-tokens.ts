import { hmacSha256Hex, sha256Hex } from "../lib/hashing";
import { randomDigits, randomId, randomToken } from "../lib/random";
import { timingSafeEqualStrings } from "../lib/timing-safe";
import { type EmailTokenPurpose, emailTokensStore } from "../storage/email-tokens-store";
import type { EmailTokenRow } from "../storage/schema";
import type { Deps } from "./deps";
import type { LinkJourney } from "./link-journey";

/** How long each kind of emailed secret lives. */
export const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 60 * 60 * 1000,
  reset_password: 30 * 60 * 1000,
  change_email: 60 * 60 * 1000,
};
/** Wrong codes allowed per token before it dies. */
export const MAX_CODE_ATTEMPTS = 5;

export interface IssuedEmailToken {
  /** Run these in the same `db.batch` as the change that needs the token. */
  statements: ReturnType<ReturnType<typeof emailTokensStore>["replaceStatements"]>;
  token: string;
  code: string | null;
}

type TokenDeps = Pick<Deps, "db" | "clock" | "config">;

/** A new link token (256 bits) and optionally a 6-digit code; any older open token of the same purpose is superseded. */
export async function issueEmailToken(
  deps: TokenDeps,
  userId: string,
  purpose: EmailTokenPurpose,
  options: { withCode: boolean; newEmail?: string; journey?: LinkJourney },
): Promise<IssuedEmailToken> {
  const now = deps.clock();
  const id = randomId();
  const token = randomToken(32);
  const code = options.withCode ? randomDigits(6) : null;
  const statements = emailTokensStore(deps.db).replaceStatements(
    {
      id,
      userId,
      purpose,
      tokenHash: await sha256Hex(token),
      codeHash: code ? await codeHash(deps, id, code) : null,
      newEmail: options.newEmail ?? null,
      returnTo: options.journey?.returnTo ?? null,
      clientId: options.journey?.clientId ?? null,
      createdAt: now,
      expiresAt: now + TOKEN_LIFETIME_MS[purpose],
    },
    now,
  );
  return { statements, token, code };
}

/** The open token behind a link, without consuming it (pages show a form first; GETs never consume). */
export async function findOpenToken(deps: TokenDeps, token: string, purpose: EmailTokenPurpose): Promise<EmailTokenRow | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return (await emailTokensStore(deps.db).findOpenByTokenHash(await sha256Hex(token), purpose, deps.clock())) ?? null;
}

/** Consumes a token once: exactly one of several concurrent callers gets the row back. */
export async function consumeToken(deps: TokenDeps, id: string): Promise<EmailTokenRow | null> {
  return (await emailTokensStore(deps.db).consume(id, deps.clock())) ?? null;
}

/**
 * Checks a typed code against the user's newest open token of `purpose`. Each try counts, whatever
 * its result; after `MAX_CODE_ATTEMPTS` the token dies. Returns the consumed token on success.
 */
export async function redeemCode(deps: TokenDeps, userId: string, purpose: EmailTokenPurpose, code: string): Promise<EmailTokenRow | null> {
  const store = emailTokensStore(deps.db);
  const now = deps.clock();
  const open = await store.findLatestOpen(userId, purpose, now);
  if (!open?.codeHash) return null;
  const attempts = await store.countAttempt(open.id, now);
  if (attempts === undefined) return null;
  if (attempts > MAX_CODE_ATTEMPTS) {
    await store.consume(open.id, now);
    return null;
  }
  const matches = /^\d{6}$/.test(code) && (await timingSafeEqualStrings(open.codeHash, await codeHash(deps, open.id, code)));
  if (!matches) {
    if (attempts === MAX_CODE_ATTEMPTS) await store.consume(open.id, now);
    return null;
  }
  return (await store.consume(open.id, now)) ?? null;
}

/** Codes have only 20 bits, so they are keyed with a server secret: a copy of the table alone does not reveal them. */
function codeHash(deps: TokenDeps, tokenId: string, code: string): Promise<string> {
  return hmacSha256Hex(deps.config.keyEncryptionKey, `email-code:${tokenId}:${code}`);
}

import { hmacSha256Hex, sha256Hex } from "../../lib/hashing";
import { randomId, randomToken } from "../../lib/random";
import { timingSafeEqualStrings } from "../../lib/timing-safe";
import { signupRequestsStore } from "../../storage/signup-requests-store";
import type { NewSignupRequest, SignupRequestRow } from "../../storage/signup-schema";
import type { Deps } from "../deps";

/** Binds a passwordless sign-up to the browser that started it: `<request id>.<random secret>`; only the secret's hash is stored. */
export const SIGNUP_COOKIE = "__Host-gh_signup";
/** The cookie outlives every step: 10 minutes for the texted code, then 15 for the email link. */
export const SIGNUP_COOKIE_MAX_AGE_SECONDS = 30 * 60;
/** Wrong tries one code survives; the next wrong one (or any try after) closes the request. */
export const MAX_SIGNUP_CODE_ATTEMPTS = 5;

type RequestDeps = Pick<Deps, "db" | "clock" | "config">;

interface Binding {
  id: string;
  secret: string;
}

function readBinding(cookie: string | undefined): Binding | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? "");
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : null;
}

/** A new request's id, its browser secret and the cookie that carries both. */
export async function newBinding(): Promise<{ id: string; cookie: string; browserHash: string }> {
  const id = randomId();
  const secret = randomToken(32);
  return { id, cookie: `${id}.${secret}`, browserHash: await sha256Hex(secret) };
}

/** Whether the browser's cookie is the one the request was started with (compared as hashes, in constant time). */
export async function isAskingBrowser(row: SignupRequestRow, cookie: string | undefined): Promise<boolean> {
  const binding = readBinding(cookie);
  if (!binding || binding.id !== row.id) return false;
  return timingSafeEqualStrings(row.browserHash, await sha256Hex(binding.secret));
}

/** This browser's sign-up request (open or not), or null when the cookie names none or was not made for it. */
export async function requestOfBrowser(deps: RequestDeps, cookie: string | undefined): Promise<SignupRequestRow | null> {
  const binding = readBinding(cookie);
  if (!binding) return null;
  const row = await signupRequestsStore(deps.db).findById(binding.id);
  return row && (await isAskingBrowser(row, cookie)) ? row : null;
}

/** The request behind an emailed link, if it is still open. */
export async function requestOfToken(deps: RequestDeps, token: string): Promise<SignupRequestRow | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return (await signupRequestsStore(deps.db).findOpenByTokenHash(await sha256Hex(token), deps.clock())) ?? null;
}

export function insertRequest(deps: RequestDeps, row: NewSignupRequest): Promise<unknown> {
  return signupRequestsStore(deps.db).insert(row);
}

/** Six digits are only 20 bits: keyed with a server secret, a copy of the table alone does not reveal them. */
export function signupCodeHash(deps: Pick<Deps, "config">, id: string, code: string): Promise<string> {
  return hmacSha256Hex(deps.config.keyEncryptionKey, `signup-code:${id}:${code}`);
}

/**
 * Checks a typed code against the request's open code. Every try counts on the row (one conditional
 * UPDATE), right or wrong; the fifth wrong one closes the request. Returns whether it matched. With no
 * row, the same statements run against nothing, so "no request" takes as long as a wrong code.
 */
export async function checkRequestCode(deps: RequestDeps, row: SignupRequestRow | null, input: unknown): Promise<boolean> {
  const store = signupRequestsStore(deps.db);
  const now = deps.clock();
  const code = typeof input === "string" ? input.replace(/\s/g, "") : "";
  const attempts = await store.countAttempt(row?.id ?? "", now, MAX_SIGNUP_CODE_ATTEMPTS);
  const expected = await signupCodeHash(deps, row?.id ?? "", code);
  if (!row || attempts === undefined) return false;
  const matches = /^\d{6}$/.test(code) && (await timingSafeEqualStrings(row.codeHash, expected));
  if (!matches && attempts >= MAX_SIGNUP_CODE_ATTEMPTS) await store.consume(row.id, now);
  return matches;
}

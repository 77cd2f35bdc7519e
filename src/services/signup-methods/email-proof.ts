import type { UserRow } from "../../storage/schema";
import type { SignupRequestRow } from "../../storage/signup-schema";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { checkCodeAttempt, recordCodeFailure } from "../email-login/code-attempts";
import { verifyLoginCode } from "../email-login/email-code-login";
import { redeemMagicLinkCode } from "../email-login/magic-links";
import { codeForToken } from "../email-login/one-time-codes";
import type { RequestContext } from "../request-context";
import { completeSignup, type SignupCompletion } from "./create-account";
import { checkRequestCode, isAskingBrowser, requestOfBrowser, requestOfToken } from "./signup-requests";

/** How a sign-up's email proof ended: a new account, or (the address had one) a login to it, or a refusal. */
export type EmailProofResult =
  | SignupCompletion
  | { outcome: "login"; user: UserRow; returnTo: string | null }
  | { outcome: "failed" }
  | { outcome: "throttled"; retryAfterSeconds: number }
  | { outcome: "no_request" }
  | { outcome: "other_browser"; code: string };

function isOpen(row: SignupRequestRow, now: number): boolean {
  return row.consumedAt === null && row.expiresAt > now;
}

/** Whether the request is waiting for its emailed code (code sign-up) or link code (link sign-up, SMS sign-up after the phone). */
function waitsFor(row: SignupRequestRow, kind: "code" | "link", now: number): boolean {
  if (!isOpen(row, now)) return false;
  return kind === "code" ? row.method === "email_code" : row.tokenHash !== null;
}

/**
 * A typed code for this browser's sign-up. Whether the address is free or taken, the code is checked
 * against what was mailed: the sign-up code (free) or the account's login code (taken; the owner logs in).
 * Every failure counts per address and per source (`code-attempts.ts`), five per code.
 */
async function checkTypedCode(
  deps: Deps,
  row: SignupRequestRow,
  kind: "code" | "link",
  code: unknown,
  magicCookie: string | undefined,
  request: RequestContext,
): Promise<EmailProofResult> {
  const owner = await usersStore(deps.db).findByEmail(row.email);
  if (owner && row.method === "email_code") {
    const login = await verifyLoginCode(deps, row.email, code, request);
    return login.outcome === "authenticated" ? { outcome: "login", user: login.user, returnTo: row.returnTo } : login;
  }
  if (owner && row.method === "magic_link") {
    const login = await redeemMagicLinkCode(deps, magicCookie, row.email, code, request);
    if (login.outcome === "authenticated") return { outcome: "login", user: login.user, returnTo: row.returnTo };
    return login.outcome === "throttled" ? login : { outcome: "failed" };
  }
  // A free address (or an SMS sign-up whose address was taken: its owner was told, no code works).
  const target = { userId: owner?.id ?? null, email: row.email, signup: true };
  const gate = await checkCodeAttempt(deps, target, request);
  if (!gate.allowed) return { outcome: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const usable = !owner && waitsFor(row, kind, deps.clock());
  if (!(await checkRequestCode(deps, usable ? row : null, code))) {
    await recordCodeFailure(deps, target, "email", request);
    return { outcome: "failed" };
  }
  return completeSignup(deps, row, "code", request);
}

/** The code from a sign-up email, typed on the "enter your code" page (`/signup/code/verify`). */
export async function verifySignupCode(deps: Deps, cookie: string | undefined, code: unknown, request: RequestContext): Promise<EmailProofResult> {
  const row = await requestOfBrowser(deps, cookie);
  return row ? checkTypedCode(deps, row, "code", code, undefined, request) : { outcome: "no_request" };
}

/** The code a sign-up link showed on another device, typed in the asking browser (`/signup/link/code`). */
export async function redeemSignupLinkCode(
  deps: Deps,
  cookies: { signup: string | undefined; magic: string | undefined },
  code: unknown,
  request: RequestContext,
): Promise<EmailProofResult> {
  const row = await requestOfBrowser(deps, cookies.signup);
  return row ? checkTypedCode(deps, row, "link", code, cookies.magic, request) : { outcome: "no_request" };
}

/** `clientId`: the app whose sign-up journey the link belongs to (its pages wear that app's branding). */
export type SignupLinkView =
  | { kind: "confirm"; email: string; clientId: string | null }
  | { kind: "other_browser"; code: string; clientId: string | null }
  | { kind: "invalid" };

/**
 * What opening a sign-up link shows; it changes nothing (mail scanners prefetch links). In the browser
 * that signed up: a confirmation button. Anywhere else: the code to type there, never an account.
 */
export async function viewSignupLink(deps: Deps, token: string, cookie: string | undefined): Promise<SignupLinkView> {
  const row = await requestOfToken(deps, token);
  if (!row) return { kind: "invalid" };
  if (await isAskingBrowser(row, cookie)) return { kind: "confirm", email: row.email, clientId: row.clientId };
  return { kind: "other_browser", code: await codeForToken(deps, token), clientId: row.clientId };
}

/** The confirmation button: only in the browser that signed up, only once. */
export async function confirmSignupLink(deps: Deps, token: string, cookie: string | undefined, request: RequestContext): Promise<EmailProofResult> {
  const row = await requestOfToken(deps, token);
  if (!row) return { outcome: "invalid" };
  if (!(await isAskingBrowser(row, cookie))) return { outcome: "other_browser", code: await codeForToken(deps, token) };
  return completeSignup(deps, row, "link", request);
}

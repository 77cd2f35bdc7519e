import { normalizeEmail } from "../../lib/email";
import { base64UrlDecode, base64UrlEncode, utf8 } from "../../lib/encoding";
import { sha256Hex } from "../../lib/hashing";
import { randomId, randomToken } from "../../lib/random";
import { timingSafeEqualStrings } from "../../lib/timing-safe";
import { oneTimeCodesStore } from "../../storage/one-time-codes-store";
import type { OneTimeCodeRow, UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import { isLocale } from "../../ui/i18n";
import type { Deps } from "../deps";
import { journeyFor } from "../link-journey";
import type { RequestContext } from "../request-context";
import { checkCodeAttempt, recordCodeFailure } from "./code-attempts";
import { markAddressProven } from "./email-address-proof";
import type { SendRequestResult } from "./email-code-login";
import { magicLinkEmail } from "./login-emails";
import { codeForToken, issueOneTimeCode, redeemIfOpen } from "./one-time-codes";
import { accountMaySend, ipSendLimit } from "./send-limits";

/** A magic link lives 15 minutes and works once. */
export const MAGIC_LINK_LIFETIME_MS = 15 * 60 * 1000;
/** Binds a link to the browser that asked for it: `<row id>.<random secret>.<return path, base64url>`; only the secret's hash is stored. */
export const MAGIC_LINK_COOKIE = "__Host-gh_magic";

/** What the asking browser keeps in its cookie. */
interface BrowserBinding {
  id: string;
  secret: string;
  returnTo: string;
}

function bindingValue(binding: BrowserBinding): string {
  return `${binding.id}.${binding.secret}.${base64UrlEncode(utf8.encode(binding.returnTo))}`;
}

function readBinding(value: string | undefined): BrowserBinding | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{0,2800})$/.exec(value ?? "");
  if (!match?.[1] || !match[2]) return null;
  const returnTo = base64UrlDecode(match[3] ?? "");
  return { id: match[1], secret: match[2], returnTo: returnTo ? new TextDecoder().decode(returnTo) : "" };
}

/** The return path the asking browser keeps in its binding cookie (branding of the link pages), or null. */
export function magicLinkReturnTo(cookie: string | undefined): string | null {
  return readBinding(cookie)?.returnTo || null;
}

/** Whether the browser's cookie is the one the link was sent for (compared as hashes, in constant time). */
async function isAskingBrowser(row: OneTimeCodeRow, binding: BrowserBinding | null): Promise<boolean> {
  if (!binding || !row.browserHash || binding.id !== row.id) return false;
  return timingSafeEqualStrings(row.browserHash, await sha256Hex(binding.secret));
}

async function openLink(deps: Deps, token: string): Promise<OneTimeCodeRow | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return (await oneTimeCodesStore(deps.db).findOpenByTokenHash(await sha256Hex(token), "magic_link", deps.clock())) ?? null;
}

/**
 * "Email me a login link". The browser always gets its binding cookie and the same answer; the account
 * lookup, the per-account cap and the mail happen after the response, so nothing tells whether the
 * address has an account. The row is created with the id the cookie names.
 */
export async function requestMagicLink(
  deps: Deps,
  emailInput: unknown,
  returnTo: string,
  request: RequestContext,
): Promise<{ ok: true; email: string; cookie: string } | Exclude<SendRequestResult, { ok: true }>> {
  const email = normalizeEmail(emailInput);
  if (!email) return { ok: false, problem: "email_invalid" };
  const wait = await ipSendLimit(deps, request);
  if (wait !== null) return { ok: false, retryAfterSeconds: wait };
  const binding = { id: randomId(), secret: randomToken(32), returnTo };
  deps.defer(sendMagicLink(deps, email, binding, request));
  return { ok: true, email, cookie: bindingValue(binding) };
}

async function sendMagicLink(deps: Deps, email: string, binding: BrowserBinding, request: RequestContext): Promise<void> {
  const user = await usersStore(deps.db).findByEmail(email);
  if (user?.status !== "active") return;
  if (!(await accountMaySend(deps, user.id))) {
    await deps.audit.record(
      { type: "mfa.email_send_capped", outcome: "failure", actorType: "anonymous", userId: user.id, details: { purpose: "magic_link" } },
      request,
    );
    return;
  }
  const issued = await issueOneTimeCode(deps, {
    id: binding.id,
    userId: user.id,
    channel: "email",
    purpose: "magic_link",
    destination: user.email,
    lifetimeMs: MAGIC_LINK_LIFETIME_MS,
    withToken: true,
    browserHash: await sha256Hex(binding.secret),
    // Another browser has no binding cookie to read the journey from: the row remembers the app.
    clientId: (await journeyFor(deps, binding.returnTo)).clientId,
  });
  await deps.db.batch([...issued.statements]);
  const locale = isLocale(user.locale) ? user.locale : request.locale;
  await deps.sender.send(magicLinkEmail(deps, user.email, locale, issued.token ?? "", issued.code, MAGIC_LINK_LIFETIME_MS, request.theme));
}

/** `clientId`: the app the link was asked for, whose branding the other browser's page wears. */
export type MagicLinkView = { kind: "confirm"; email: string } | { kind: "other_browser"; code: string; clientId: string | null } | { kind: "invalid" };

/**
 * What opening a link shows; it changes nothing (mail scanners prefetch links). In the asking browser: a
 * confirmation button. Anywhere else: the code to type in the asking browser, never a login.
 */
export async function viewMagicLink(deps: Deps, token: string, cookie: string | undefined): Promise<MagicLinkView> {
  const row = await openLink(deps, token);
  if (!row) return { kind: "invalid" };
  if (await isAskingBrowser(row, readBinding(cookie))) return { kind: "confirm", email: row.destination };
  return { kind: "other_browser", code: await codeForToken(deps, token), clientId: row.clientId };
}

export type MagicLinkLogin =
  | { outcome: "authenticated"; user: UserRow; returnTo: string }
  | { outcome: "other_browser"; code: string; clientId: string | null }
  | { outcome: "invalid" }
  | { outcome: "failed" }
  | { outcome: "throttled"; retryAfterSeconds: number };

/** The confirmation button: only the asking browser, only once (one conditional UPDATE consumes the link). */
export async function confirmMagicLink(deps: Deps, token: string, cookie: string | undefined): Promise<MagicLinkLogin> {
  const row = await openLink(deps, token);
  if (!row) return { outcome: "invalid" };
  const binding = readBinding(cookie);
  if (!binding || !(await isAskingBrowser(row, binding))) return { outcome: "other_browser", code: await codeForToken(deps, token), clientId: row.clientId };
  const consumed = await oneTimeCodesStore(deps.db).consume(row.id, deps.clock());
  const user = consumed ? await usersStore(deps.db).findById(consumed.userId) : undefined;
  if (user?.status !== "active") return { outcome: "invalid" };
  return { outcome: "authenticated", user: await markAddressProven(deps, user), returnTo: binding.returnTo };
}

/**
 * The fallback: the code the link showed on another device, typed in the asking browser. Needs that
 * browser's cookie (a code alone logs nobody in), five tries per link, and every failure is counted.
 */
export async function redeemMagicLinkCode(
  deps: Deps,
  cookie: string | undefined,
  emailInput: unknown,
  code: unknown,
  request: RequestContext,
): Promise<MagicLinkLogin | { outcome: "no_request" }> {
  const binding = readBinding(cookie);
  if (!binding) return { outcome: "no_request" };
  const found = await oneTimeCodesStore(deps.db).findOpenById(binding.id, deps.clock());
  const row = found && found.purpose === "magic_link" && (await isAskingBrowser(found, binding)) ? found : undefined;
  const target = { userId: row?.userId ?? null, email: row?.destination ?? normalizeEmail(emailInput) ?? "" };
  const gate = await checkCodeAttempt(deps, target, request);
  if (!gate.allowed) return { outcome: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const redeemed = typeof code === "string" ? await redeemIfOpen(deps, row, code) : null;
  const user = redeemed ? await usersStore(deps.db).findById(redeemed.userId) : undefined;
  if (user?.status !== "active") {
    await recordCodeFailure(deps, target, "email", request);
    return { outcome: "failed" };
  }
  return { outcome: "authenticated", user: await markAddressProven(deps, user), returnTo: binding.returnTo };
}

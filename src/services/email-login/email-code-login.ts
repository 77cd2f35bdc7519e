import { normalizeEmail } from "../../lib/email";
import { oneTimeCodesStore } from "../../storage/one-time-codes-store";
import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import { isLocale } from "../../ui/i18n";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { checkCodeAttempt, recordCodeFailure } from "./code-attempts";
import { markAddressProven } from "./email-address-proof";
import { loginCodeEmail } from "./login-emails";
import { issueOneTimeCode, redeemIfOpen } from "./one-time-codes";
import { accountMaySend, ipSendLimit } from "./send-limits";

/** Emailed login codes live ten minutes. */
export const EMAIL_CODE_LIFETIME_MS = 10 * 60 * 1000;

export type SendRequestResult = { ok: true; email: string } | { ok: false; problem: "email_invalid" } | { ok: false; retryAfterSeconds: number };

export type CodeLoginResult = { outcome: "authenticated"; user: UserRow } | { outcome: "failed" } | { outcome: "throttled"; retryAfterSeconds: number };

/**
 * "Email me a login code". The answer is the same whether or not the address has an account: looking the
 * account up, the per-account cap and the sending all happen after the response (`defer`), so neither
 * the page nor its timing tells them apart. Only the per-source limit answers directly.
 */
export async function requestLoginCode(deps: Deps, emailInput: unknown, request: RequestContext): Promise<SendRequestResult> {
  const email = normalizeEmail(emailInput);
  if (!email) return { ok: false, problem: "email_invalid" };
  const wait = await ipSendLimit(deps, request);
  if (wait !== null) return { ok: false, retryAfterSeconds: wait };
  deps.defer(sendLoginCode(deps, email, request));
  return { ok: true, email };
}

async function sendLoginCode(deps: Deps, email: string, request: RequestContext): Promise<void> {
  const user = await usersStore(deps.db).findByEmail(email);
  if (user?.status !== "active") return;
  if (!(await accountMaySend(deps, user.id))) {
    await deps.audit.record(
      { type: "mfa.email_send_capped", outcome: "failure", actorType: "anonymous", userId: user.id, details: { purpose: "login" } },
      request,
    );
    return;
  }
  const issued = await issueOneTimeCode(deps, {
    userId: user.id,
    channel: "email",
    purpose: "login",
    destination: user.email,
    lifetimeMs: EMAIL_CODE_LIFETIME_MS,
  });
  await deps.db.batch([...issued.statements]);
  await deps.sender.send(loginCodeEmail(user.email, isLocale(user.locale) ? user.locale : request.locale, issued.code, EMAIL_CODE_LIFETIME_MS, request.theme));
}

/**
 * Logs in with the emailed code (first factor). Unknown addresses, disabled accounts, wrong, used and
 * expired codes all fail the same way, and every failure is counted (see code-attempts.ts).
 */
export async function verifyLoginCode(deps: Deps, emailInput: unknown, code: unknown, request: RequestContext): Promise<CodeLoginResult> {
  const email = normalizeEmail(emailInput);
  if (!email || typeof code !== "string") return { outcome: "failed" };
  const found = await usersStore(deps.db).findByEmail(email);
  const user = found?.status === "active" ? found : undefined;
  const target = { userId: user?.id ?? null, email };
  const gate = await checkCodeAttempt(deps, target, request);
  if (!gate.allowed) return { outcome: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  // The same queries whether or not the address has an account (an empty id matches no row).
  const open = await oneTimeCodesStore(deps.db).findLatestOpen(user?.id ?? "", "email", "login", deps.clock());
  const redeemed = await redeemIfOpen(deps, open, code);
  if (!user || !redeemed) {
    await recordCodeFailure(deps, target, "email", request);
    return { outcome: "failed" };
  }
  return { outcome: "authenticated", user: await markAddressProven(deps, user) };
}

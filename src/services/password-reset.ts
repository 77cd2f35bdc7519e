import { normalizeEmail } from "../lib/email";
import { sha256Hex } from "../lib/hashing";
import { emailTokensStore } from "../storage/email-tokens-store";
import { askGuard } from "../storage/guards";
import { oauthGrantsStore } from "../storage/oauth-grants-store";
import { usersStore } from "../storage/users-store";
import type { Deps } from "./deps";
import { consumeToken, findOpenToken, issueEmailToken } from "./email-tokens";
import { composeEmail } from "./emails";
import { journeyFor, journeyOf, type LinkJourney } from "./link-journey";
import { checkNewPassword } from "./password-policy";
import type { RequestContext } from "./request-context";
import { markRisk } from "./risk/marks";
import { revokeAllSessions } from "./sessions";
import type { FieldErrors } from "./validation";

/** Reset requests per source address per hour. */
export const RESETS_PER_IP_PER_HOUR = 10;

/**
 * Emails a reset link when the address has an active account; answers the same when it has none.
 * The link is built from the configured issuer URL, never from request headers. `returnTo` (validated by
 * the route) is the login journey the reset was asked from: the link remembers it (services/link-journey.ts).
 */
export async function requestPasswordReset(
  deps: Deps,
  emailInput: unknown,
  request: RequestContext,
  returnTo?: string,
): Promise<{ ok: true; email: string } | { ok: false; errors: FieldErrors } | { ok: false; retryAfterSeconds: number }> {
  const email = normalizeEmail(emailInput);
  if (!email) return { ok: false, errors: { email: "email_invalid" } };
  const limit = await askGuard(() => deps.guards.ip(request.ip).hit("forgot", RESETS_PER_IP_PER_HOUR, 3600, deps.clock()));
  if (!limit.allowed) return { ok: false, retryAfterSeconds: limit.retryAfterSeconds };
  deps.defer(sendResetLink(deps, email, request, returnTo));
  return { ok: true, email };
}

async function sendResetLink(deps: Deps, email: string, request: RequestContext, returnTo: string | undefined): Promise<void> {
  const user = await usersStore(deps.db).findByEmail(email);
  if (user?.status !== "active") return;
  const issued = await issueEmailToken(deps, user.id, "reset_password", { withCode: false, journey: await journeyFor(deps, returnTo) });
  await deps.db.batch([
    ...issued.statements,
    deps.audit.statement({ type: "user.password_reset_requested", outcome: "success", actorType: "anonymous", userId: user.id }, request),
  ]);
  const locale = user.locale === "de" ? "de" : request.locale;
  await deps.sender.send(composeEmail("reset", user.email, locale, { link: `${deps.config.issuerUrl}/reset?token=${issued.token}` }, request.theme));
}

/**
 * The journey of a reset link that is still usable, null when it is not. The pages check it before showing
 * the form or setting the password, and wear its app's branding; it consumes nothing.
 */
export async function describeResetLink(deps: Deps, token: string): Promise<LinkJourney | null> {
  const open = await findOpenToken(deps, token, "reset_password");
  return open ? journeyOf(open) : null;
}

export type ResetResult = { ok: true } | { ok: false; reason: "invalid_link" } | { ok: false; errors: FieldErrors };

/**
 * Sets a new password through a reset link, which works once. Every session
 * of the account ends, every other emailed token dies, and the login backoff is cleared.
 */
export async function resetPassword(deps: Deps, token: string, newPassword: unknown, request: RequestContext): Promise<ResetResult> {
  const open = await findOpenToken(deps, token, "reset_password");
  const user = open ? await usersStore(deps.db).findById(open.userId) : undefined;
  if (!open || !user || user.status !== "active") return { ok: false, reason: "invalid_link" };
  const password = typeof newPassword === "string" ? newPassword : "";
  const problem = checkNewPassword(password, user.email, deps.config.password);
  if (problem) return { ok: false, errors: { newPassword: problem } };

  const passwordHash = await deps.hasher.hash(password);
  const now = deps.clock();
  // Consuming is the single-use step (one conditional UPDATE): of two concurrent submissions only one gets past it.
  if (!(await consumeToken(deps, open.id))) return { ok: false, reason: "invalid_link" };
  await deps.db.batch([
    usersStore(deps.db).updateStatement(user.id, { passwordHash, passwordChangedAt: now, updatedAt: now }),
    emailTokensStore(deps.db).consumeAllStatement(user.id, now),
    // Refresh tokens die with the old password: an app holding one must send the user through login again.
    oauthGrantsStore(deps.db).revokeByUserStatement(user.id, now),
    deps.audit.statement({ type: "user.password_reset", outcome: "success", actorType: "user", actorId: user.id, userId: user.id }, request),
  ]);

  await revokeAllSessions(deps, user.id);
  await markRisk(deps, user.id, "password_reset");
  const emailHash = await sha256Hex(user.email);
  await askGuard(() => deps.guards.login(emailHash).clearLoginFailures());
  const locale = user.locale === "de" ? "de" : request.locale;
  deps.defer(deps.sender.send(composeEmail("passwordChanged", user.email, locale, { resetLink: `${deps.config.issuerUrl}/forgot` }, request.theme)));
  return { ok: true };
}

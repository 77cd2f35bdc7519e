import { normalizeEmail } from "../lib/email";
import { utf8 } from "../lib/encoding";
import { sha256Hex } from "../lib/hashing";
import { isUniqueViolation } from "../storage/db";
import { emailTokensStore } from "../storage/email-tokens-store";
import { askGuard } from "../storage/guards";
import { oauthGrantsStore } from "../storage/oauth-grants-store";
import type { UserRow } from "../storage/schema";
import { usersStore } from "../storage/users-store";
import type { Deps } from "./deps";
import { consumeToken, findOpenToken, issueEmailToken, TOKEN_LIFETIME_MS } from "./email-tokens";
import { composeEmail } from "./emails";
import { checkNewPassword } from "./password-policy";
import type { RequestContext } from "./request-context";
import { revokeAllSessions } from "./sessions";
import { type FieldErrors, normalizeName } from "./validation";

type Outcome = { ok: true } | { ok: false; errors: FieldErrors } | { ok: false; retryAfterSeconds: number };

function localeOf(user: UserRow, request: RequestContext): "en" | "de" {
  return user.locale === "de" || user.locale === "en" ? user.locale : request.locale;
}

/**
 * Checks the account's current password before a sensitive change. Wrong guesses count in the same
 * backoff as logins, so a stolen session cannot be used to guess the password at full speed.
 */
async function confirmPassword(deps: Deps, user: UserRow, password: unknown): Promise<"ok" | "wrong" | { retryAfterSeconds: number }> {
  const now = deps.clock();
  const guard = deps.guards.login(await sha256Hex(user.email));
  const check = await askGuard(() => guard.checkLogin(now));
  if (!check.allowed) return { retryAfterSeconds: check.retryAfterSeconds };
  if (typeof password !== "string" || password.length === 0 || utf8.encode(password).length > deps.config.password.maxBytes || !user.passwordHash)
    return "wrong";
  const { valid } = await deps.hasher.verify(password, user.passwordHash);
  if (valid) return "ok";
  const policy = deps.config.login;
  await askGuard(() =>
    guard.recordLoginFailure(now, { failuresBeforeBackoff: policy.accountFailuresBeforeBackoff, maxBackoffSeconds: policy.accountMaxBackoffSeconds }),
  );
  return "wrong";
}

export async function updateProfile(deps: Deps, user: UserRow, input: { name: unknown; locale: unknown }, request: RequestContext): Promise<Outcome> {
  const name = normalizeName(input.name);
  if (name === null) return { ok: false, errors: { name: "name_invalid" } };
  const locale = input.locale === "de" || input.locale === "en" ? input.locale : user.locale;
  await deps.db.batch([
    usersStore(deps.db).updateStatement(user.id, { name: name ?? null, locale, updatedAt: deps.clock() }),
    deps.audit.statement({ type: "user.profile_updated", outcome: "success", actorType: "user", actorId: user.id, userId: user.id }, request),
  ]);
  return { ok: true };
}

/** Changes the password after checking the current one; every other session ends and the owner is told by email. */
export async function changePassword(
  deps: Deps,
  user: UserRow,
  sessionId: string,
  input: { currentPassword: unknown; newPassword: unknown },
  request: RequestContext,
): Promise<Outcome> {
  const confirmed = await confirmPassword(deps, user, input.currentPassword);
  if (typeof confirmed === "object") return { ok: false, retryAfterSeconds: confirmed.retryAfterSeconds };
  if (confirmed === "wrong") {
    await deps.audit.record(
      { type: "user.password_changed", outcome: "failure", actorType: "user", actorId: user.id, userId: user.id, details: { reason: "wrong_password" } },
      request,
    );
    return { ok: false, errors: { currentPassword: "wrong_password" } };
  }
  const newPassword = typeof input.newPassword === "string" ? input.newPassword : "";
  const problem = checkNewPassword(newPassword, user.email, deps.config.password);
  if (problem) return { ok: false, errors: { newPassword: problem } };
  const now = deps.clock();
  await deps.db.batch([
    usersStore(deps.db).updateStatement(user.id, { passwordHash: await deps.hasher.hash(newPassword), passwordChangedAt: now, updatedAt: now }),
    emailTokensStore(deps.db).consumeAllStatement(user.id, now),
    // Refresh tokens die with the old password: an app holding one must send the user through login again.
    oauthGrantsStore(deps.db).revokeByUserStatement(user.id, now),
    deps.audit.statement({ type: "user.password_changed", outcome: "success", actorType: "user", actorId: user.id, userId: user.id }, request),
  ]);
  await revokeAllSessions(deps, user.id, sessionId);
  deps.defer(deps.sender.send(composeEmail("passwordChanged", user.email, localeOf(user, request), { resetLink: `${deps.config.issuerUrl}/forgot` })));
  return { ok: true };
}

/**
 * Starts an email change: a confirmation link goes to the new address, and nothing changes until it is
 * clicked. An address that belongs to another account gets no message, and the answer is the same.
 */
export async function requestEmailChange(
  deps: Deps,
  user: UserRow,
  input: { newEmail: unknown; currentPassword: unknown },
  request: RequestContext,
): Promise<Outcome> {
  const newEmail = normalizeEmail(input.newEmail);
  if (!newEmail) return { ok: false, errors: { email: "email_invalid" } };
  if (newEmail === user.email) return { ok: false, errors: { email: "same_email" } };
  const confirmed = await confirmPassword(deps, user, input.currentPassword);
  if (typeof confirmed === "object") return { ok: false, retryAfterSeconds: confirmed.retryAfterSeconds };
  if (confirmed === "wrong") return { ok: false, errors: { currentPassword: "wrong_password" } };
  deps.defer(sendEmailChangeLink(deps, user, newEmail, request));
  return { ok: true };
}

async function sendEmailChangeLink(deps: Deps, user: UserRow, newEmail: string, request: RequestContext): Promise<void> {
  if (await usersStore(deps.db).findByEmail(newEmail)) return;
  const issued = await issueEmailToken(deps, user.id, "change_email", { withCode: false, newEmail });
  await deps.db.batch([
    ...issued.statements,
    deps.audit.statement({ type: "user.email_change_requested", outcome: "success", actorType: "user", actorId: user.id, userId: user.id }, request),
  ]);
  const link = `${deps.config.issuerUrl}/account/email/confirm?token=${issued.token}`;
  await deps.sender.send(composeEmail("changeEmail", newEmail, localeOf(user, request), { link, minutes: TOKEN_LIFETIME_MS.change_email / 60_000 }));
}

/** The pending change behind a link, for the confirmation page; `null` when the link is dead. */
export async function describeEmailChange(deps: Deps, token: string): Promise<{ newEmail: string } | null> {
  const open = await findOpenToken(deps, token, "change_email");
  return open?.newEmail ? { newEmail: open.newEmail } : null;
}

/** Applies an email change (POST from the confirmation page); the old address is told. */
export async function confirmEmailChange(deps: Deps, token: string, request: RequestContext): Promise<boolean> {
  const open = await findOpenToken(deps, token, "change_email");
  const user = open ? await usersStore(deps.db).findById(open.userId) : undefined;
  if (!open?.newEmail || !user) return false;
  if (!(await consumeToken(deps, open.id))) return false;
  try {
    await deps.db.batch([
      usersStore(deps.db).updateStatement(user.id, { email: open.newEmail, emailVerified: true, updatedAt: deps.clock() }),
      deps.audit.statement({ type: "user.email_changed", outcome: "success", actorType: "user", actorId: user.id, userId: user.id }, request),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  deps.defer(
    deps.sender.send(
      composeEmail("emailChangedNotice", user.email, localeOf(user, request), { newEmail: open.newEmail, resetLink: `${deps.config.issuerUrl}/forgot` }),
    ),
  );
  return true;
}

/** Deletes the account after checking the password: sessions end, the guard forgets, the row and its tokens go. */
export async function deleteAccount(deps: Deps, user: UserRow, input: { currentPassword: unknown }, request: RequestContext): Promise<Outcome> {
  const confirmed = await confirmPassword(deps, user, input.currentPassword);
  if (typeof confirmed === "object") return { ok: false, retryAfterSeconds: confirmed.retryAfterSeconds };
  if (confirmed === "wrong") return { ok: false, errors: { currentPassword: "wrong_password" } };
  await removeAccount(deps, user.id, { type: "user.deleted", outcome: "success", actorType: "user", actorId: user.id, userId: user.id }, request);
  return { ok: true };
}

/** Removes an account everywhere (self-service or admin). */
export async function removeAccount(deps: Deps, userId: string, event: Parameters<Deps["audit"]["record"]>[0], request: RequestContext): Promise<void> {
  await revokeAllSessions(deps, userId);
  await deps.db.batch([usersStore(deps.db).deleteStatement(userId), deps.audit.statement(event, request)]);
  await askGuard(() => deps.guards.user(userId).destroy());
}

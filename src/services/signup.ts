import { normalizeEmail } from "../lib/email";
import { randomId } from "../lib/random";
import { isUniqueViolation } from "../storage/db";
import { askGuard } from "../storage/guards";
import { usersStore } from "../storage/users-store";
import type { Theme } from "../ui/theme";
import type { Deps } from "./deps";
import { issueEmailToken, TOKEN_LIFETIME_MS } from "./email-tokens";
import { composeEmail } from "./emails";
import { journeyFor } from "./link-journey";
import { checkNewPassword } from "./password-policy";
import type { RequestContext } from "./request-context";
import { countGlobalEvent } from "./risk/global-rates";
import { type FieldErrors, normalizeName } from "./validation";

export type SignUpResult = { ok: true; email: string } | { ok: false; errors: FieldErrors } | { ok: false; retryAfterSeconds: number };

/** Sign-ups per source address per hour before it has to wait. */
export const SIGNUPS_PER_IP_PER_HOUR = 20;

/**
 * Creates an unverified account and emails a verification link and code. An address that already has
 * an account gets the same answer, and its owner an email about the attempt, so sign-up reveals nothing.
 * The account, its verification token and the audit event are written in one batch: all or nothing.
 */
export async function signUp(
  deps: Deps,
  input: { email: unknown; password: unknown; name?: unknown; returnTo?: string },
  request: RequestContext,
): Promise<SignUpResult> {
  const email = normalizeEmail(input.email);
  const name = normalizeName(input.name);
  const password = typeof input.password === "string" ? input.password : "";
  const errors: FieldErrors = {};
  if (!email) errors.email = "email_invalid";
  if (name === null) errors.name = "name_invalid";
  const passwordProblem = checkNewPassword(password, email, deps.config.password);
  if (passwordProblem) errors.password = passwordProblem;
  if (!email || Object.keys(errors).length > 0) return { ok: false, errors };

  const limit = await askGuard(() => deps.guards.ip(request.ip).hit("signup", SIGNUPS_PER_IP_PER_HOUR, 3600, deps.clock()));
  if (!limit.allowed) return { ok: false, retryAfterSeconds: limit.retryAfterSeconds };
  // Every accepted attempt counts (new or taken address alike): the risk engine's service-wide sign-up rate.
  countGlobalEvent(deps, "signup");

  // Hash before looking at the table, so a taken address costs the same time as a free one.
  const passwordHash = await deps.hasher.hash(password);
  const now = deps.clock();
  const userId = randomId();
  // The link remembers the app the customer came from: its page wears that brand and continues to that app's login.
  const verification = await issueEmailToken(deps, userId, "verify_email", { withCode: true, journey: await journeyFor(deps, input.returnTo) });
  try {
    await deps.db.batch([
      usersStore(deps.db).insertStatement({
        id: userId,
        email,
        name: name ?? null,
        passwordHash,
        locale: request.locale,
        createdAt: now,
        updatedAt: now,
        passwordChangedAt: now,
      }),
      ...verification.statements,
      deps.audit.statement({ type: "user.signup", outcome: "success", actorType: "anonymous", userId }, request),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Everything about the existing account happens after the response, so the answer and its timing match a new sign-up.
    deps.defer(notifyExistingOwner(deps, email, request));
    return { ok: true, email };
  }
  deps.defer(deps.sender.send(verificationEmail(deps, email, request.locale, verification.token, verification.code ?? "", request.theme)));
  return { ok: true, email };
}

async function notifyExistingOwner(deps: Deps, email: string, request: RequestContext): Promise<void> {
  const existing = await usersStore(deps.db).findByEmail(email);
  await deps.audit.record(
    { type: "user.signup", outcome: "failure", actorType: "anonymous", userId: existing?.id, details: { reason: "email_taken" } },
    request,
  );
  const locale = existing?.locale === "de" ? "de" : request.locale;
  await deps.sender.send(
    composeEmail("exists", email, locale, { loginLink: `${deps.config.issuerUrl}/login`, resetLink: `${deps.config.issuerUrl}/forgot` }, request.theme),
  );
}

/** The verification message: a link to a confirmation page (a GET never verifies) and the same secret as a code. */
export function verificationEmail(deps: Pick<Deps, "config">, email: string, locale: "en" | "de", token: string, code: string, theme?: Theme) {
  const link = `${deps.config.issuerUrl}/verify?token=${token}`;
  return composeEmail("verify", email, locale, { link, code, minutes: TOKEN_LIFETIME_MS.verify_email / 60_000 }, theme);
}

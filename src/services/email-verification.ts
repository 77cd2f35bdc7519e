import { normalizeEmail } from "../lib/email";
import { askGuard } from "../storage/guards";
import { usersStore } from "../storage/users-store";
import type { Deps } from "./deps";
import { consumeToken, findOpenToken, issueEmailToken, redeemCode } from "./email-tokens";
import { journeyFor, journeyOf, type LinkJourney } from "./link-journey";
import type { RequestContext } from "./request-context";
import { verificationEmail } from "./signup";

/** Resends per source address per hour. */
export const RESENDS_PER_IP_PER_HOUR = 10;

/**
 * The address a verification link is for, so the confirmation page can show it, and the journey the sign-up
 * came from (the page's branding); `null` if the link is dead. Consumes nothing.
 */
export async function describeVerificationLink(deps: Deps, token: string): Promise<{ email: string; journey: LinkJourney } | null> {
  const open = await findOpenToken(deps, token, "verify_email");
  if (!open) return null;
  const user = await usersStore(deps.db).findById(open.userId);
  return user ? { email: user.email, journey: journeyOf(open) } : null;
}

/** Confirms the address behind a link (POST only). Single use; the sign-up's journey when it worked, null when not. */
export async function verifyEmailByLink(deps: Deps, token: string, request: RequestContext): Promise<LinkJourney | null> {
  const open = await findOpenToken(deps, token, "verify_email");
  const consumed = open ? await consumeToken(deps, open.id) : null;
  if (!consumed) return null;
  await markVerified(deps, consumed.userId, request, "link");
  return journeyOf(consumed);
}

/** Confirms the address with the emailed code. Unknown addresses fail exactly like wrong codes. */
export async function verifyEmailByCode(deps: Deps, emailInput: unknown, code: unknown, request: RequestContext): Promise<boolean> {
  const email = normalizeEmail(emailInput);
  if (!email || typeof code !== "string") return false;
  const user = await usersStore(deps.db).findByEmail(email);
  if (!user || user.emailVerified) return false;
  const consumed = await redeemCode(deps, user.id, "verify_email", code.trim());
  if (!consumed) return false;
  await markVerified(deps, user.id, request, "code");
  return true;
}

/**
 * Sends a fresh verification message (superseding the old token) if the address belongs to an
 * unverified account; answers the same either way. `returnTo` (validated by the route) is the journey
 * the new link continues, as the sign-up's did.
 */
export async function resendVerification(
  deps: Deps,
  emailInput: unknown,
  request: RequestContext,
  returnTo?: string,
): Promise<{ retryAfterSeconds: number } | null> {
  const limit = await askGuard(() => deps.guards.ip(request.ip).hit("resend", RESENDS_PER_IP_PER_HOUR, 3600, deps.clock()));
  if (!limit.allowed) return { retryAfterSeconds: limit.retryAfterSeconds };
  const email = normalizeEmail(emailInput);
  if (email) deps.defer(sendVerificationIfUnverified(deps, email, request, returnTo));
  return null;
}

/** Issues a new verification token and emails it, for an existing unverified account. */
export async function sendVerificationIfUnverified(deps: Deps, email: string, request: RequestContext, returnTo?: string): Promise<void> {
  const user = await usersStore(deps.db).findByEmail(email);
  if (!user || user.emailVerified || user.status !== "active") return;
  const issued = await issueEmailToken(deps, user.id, "verify_email", { withCode: true, journey: await journeyFor(deps, returnTo) });
  await deps.db.batch([...issued.statements]);
  const locale = user.locale === "de" ? "de" : request.locale;
  await deps.sender.send(verificationEmail(deps, user.email, locale, issued.token, issued.code ?? "", request.theme));
}

async function markVerified(deps: Deps, userId: string, request: RequestContext, method: "link" | "code"): Promise<void> {
  await deps.db.batch([
    usersStore(deps.db).updateStatement(userId, { emailVerified: true, updatedAt: deps.clock() }),
    deps.audit.statement({ type: "user.email_verified", outcome: "success", actorType: "user", actorId: userId, userId, details: { method } }, request),
  ]);
}

import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { secondFactorsOf } from "../services/auth/factors";
import { amrFor, type FactorKind } from "../services/auth/methods";
import type { PendingLogin } from "../services/auth/pending-login";
import type { FactorCheck } from "../services/totp/totp-login";
import type { UserRow } from "../storage/schema";
import { usersStore } from "../storage/users-store";
import { completeSecondFactor, pendingLogin, secondFactorReaches } from "./auth-flow";
import { showMfaStep } from "./mfa";
import { tooManyRequests } from "./page-helpers";

/**
 * The pending login this browser holds and its user, if `factor` may complete it: the user has that
 * factor, it is not the one already used (email after an email code would be one factor twice), and it
 * reaches the level the app asked for. Otherwise the response to send instead (back to the second step or to /login).
 */
export async function pendingFor(
  c: Context<AppEnv>,
  factor: FactorKind,
): Promise<{ pending: PendingLogin; user: UserRow; response?: undefined } | { response: Response }> {
  const pending = await pendingLogin(c);
  if (!pending) return { response: c.redirect("/login?notice=mfa_expired", 303) };
  const user = await usersStore(c.get("deps").db).findById(pending.userId);
  const usable = user ? await secondFactorsOf(c.get("deps"), user, pending.factors) : [];
  if (!user || !usable.includes(factor) || !secondFactorReaches(pending, factor, amrFor(factor))) {
    return { response: await showMfaStep(c, pending, { status: 400 }) };
  }
  return { pending, user };
}

/** Turns a factor check into the answer: the session on success, else the same step again with the reason. */
export async function answerFactorCheck(
  c: Context<AppEnv>,
  pending: PendingLogin,
  factor: FactorKind,
  check: FactorCheck,
  invalidText: string,
): Promise<Response> {
  if (check.outcome === "verified") return completeSecondFactor(c, pending, { factor, amr: amrFor(factor) });
  if (check.outcome === "throttled") {
    tooManyRequests(c, check.retryAfterSeconds);
    return showMfaStep(c, pending, { method: factor, error: c.get("t")("mfa.throttled", { seconds: check.retryAfterSeconds }), status: 429 });
  }
  return showMfaStep(c, pending, { method: factor, error: invalidText, status: 400 });
}

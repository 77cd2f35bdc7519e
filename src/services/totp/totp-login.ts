import { totpStore } from "../../storage/totp-store";
import { checkFactorAttempt, recordFactorFailure } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { matchingStep } from "./totp-codes";
import { loadTotp } from "./totp-secrets";

export type FactorCheck = { outcome: "verified" } | { outcome: "failed" } | { outcome: "throttled"; retryAfterSeconds: number };

/**
 * An authenticator-app code as a second factor. Asked of the user's guard first (backoff across all
 * factors), then matched within ±1 step, then the step is claimed with one conditional UPDATE: a code is
 * accepted once, and of two parallel requests with the same code only one passes. Every failure counts.
 */
export async function verifyTotpLogin(deps: Deps, userId: string, code: unknown, request: RequestContext): Promise<FactorCheck> {
  const gate = await checkFactorAttempt(deps, userId);
  if (!gate.allowed) return { outcome: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const totp = await loadTotp(deps, userId);
  const step = totp?.row.confirmedAt != null && typeof code === "string" ? matchingStep(totp.secret, code, deps.clock()) : null;
  if (step !== null && (await totpStore(deps.db).advanceStep(userId, step))) return { outcome: "verified" };
  await recordFactorFailure(deps, userId, "totp", request);
  // A replayed code is a failure like any other, and worth a separate line in the audit trail.
  if (step !== null) {
    await deps.audit.record({ type: "mfa.totp_replayed", outcome: "failure", actorType: "anonymous", userId, details: { step } }, request);
  }
  return { outcome: "failed" };
}

import { recoveryCodesStore } from "../../storage/recovery-codes-store";
import type { UserRow } from "../../storage/schema";
import { isLocale } from "../../ui/i18n";
import { checkFactorAttempt, recordFactorFailure } from "../auth/factor-attempts";
import { notifyFactorChange } from "../auth/factor-notices";
import type { Deps } from "../deps";
import { composeEmail } from "../emails";
import type { RequestContext } from "../request-context";
import type { FactorCheck } from "../totp/totp-login";
import { canonicalRecoveryCode, hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from "./recovery-code-format";

/** A new set of codes replaces the old one in one batch (the old codes die with it); returns the codes, to show once. */
async function replaceCodes(deps: Pick<Deps, "db" | "clock">, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map(async (code) => hashRecoveryCode(canonicalRecoveryCode(code) ?? "")));
  await deps.db.batch([...recoveryCodesStore(deps.db).replaceStatements(userId, hashes, deps.clock())]);
  return codes;
}

/** On a first authenticator app: a set of codes, unless the user still has unused ones (then null). */
export async function issueRecoveryCodesIfNone(deps: Pick<Deps, "db" | "clock">, userId: string): Promise<string[] | null> {
  if ((await recoveryCodesStore(deps.db).countUnused(userId)) > 0) return null;
  return replaceCodes(deps, userId);
}

/** "Create new codes" on the account page (the route has checked that the login is recent); the owner is told. */
export async function regenerateRecoveryCodes(deps: Deps, user: UserRow, request: RequestContext): Promise<string[]> {
  const codes = await replaceCodes(deps, user.id);
  await notifyFactorChange(deps, user, { factor: "recovery_code", action: "added" }, request);
  return codes;
}

/**
 * A recovery code as the second factor: used once (one conditional UPDATE), every failure counted in the
 * user's guard. A used code is refused like a wrong one. The owner is told a code was used and how many are left.
 */
export async function verifyRecoveryCode(deps: Deps, user: UserRow, input: unknown, request: RequestContext): Promise<FactorCheck> {
  const gate = await checkFactorAttempt(deps, user.id);
  if (!gate.allowed) return { outcome: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const canonical = canonicalRecoveryCode(input);
  const store = recoveryCodesStore(deps.db);
  if (!canonical || !(await store.consume(user.id, await hashRecoveryCode(canonical), deps.clock()))) {
    await recordFactorFailure(deps, user.id, "recovery_code", request);
    return { outcome: "failed" };
  }
  const remaining = await store.countUnused(user.id);
  await deps.audit.record(
    { type: "mfa.recovery_code_used", outcome: "success", actorType: "user", actorId: user.id, userId: user.id, details: { remaining } },
    request,
  );
  const locale = isLocale(user.locale) ? user.locale : request.locale;
  deps.defer(deps.sender.send(composeEmail("usedRecoveryCode", user.email, locale, { remaining, link: `${deps.config.issuerUrl}/account/recovery-codes` })));
  return { outcome: "verified" };
}

import type { UserRow } from "../../storage/schema";
import { totpStore } from "../../storage/totp-store";
import { usersStore } from "../../storage/users-store";
import { defaultTheme } from "../../ui/theme";
import { notifyFactorChange } from "../auth/factor-notices";
import type { Deps } from "../deps";
import { issueRecoveryCodesIfNone } from "../recovery-codes/recovery-codes";
import type { RequestContext } from "../request-context";
import { groupSecret, matchingStep, newTotpSecret, totpUri } from "./totp-codes";
import { loadTotp, sealTotpSecret } from "./totp-secrets";

/** What the set-up page shows: the secret three ways (QR code of the URI, typed key, link). */
export interface TotpSetup {
  secret: string;
  groupedSecret: string;
  uri: string;
}

export type TotpState = { kind: "none" } | ({ kind: "setup" } & TotpSetup) | { kind: "enabled"; confirmedAt: number };

function setupOf(secret: string, user: UserRow): TotpSetup {
  return { secret, groupedSecret: groupSecret(secret), uri: totpUri(secret, defaultTheme.brandName, user.email) };
}

/** Where the user stands: no app, a set-up waiting for its first code, or an app that is on. */
export async function totpState(deps: Deps, user: UserRow): Promise<TotpState> {
  const totp = await loadTotp(deps, user.id);
  if (!totp) return { kind: "none" };
  if (totp.row.confirmedAt !== null) return { kind: "enabled", confirmedAt: totp.row.confirmedAt };
  return { kind: "setup", ...setupOf(totp.secret, user) };
}

/**
 * Starts (or restarts) a set-up with a fresh secret, stored encrypted and unconfirmed: it is never accepted
 * at login until a first code proves the app has it. An app that is already on is left alone.
 */
export async function startTotpSetup(deps: Deps, user: UserRow): Promise<TotpState> {
  const secret = newTotpSecret();
  const saved = await totpStore(deps.db).savePending(user.id, await sealTotpSecret(deps, secret), deps.clock());
  return saved ? { kind: "setup", ...setupOf(secret, user) } : totpState(deps, user);
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] | null } | { ok: false; state: TotpState };

/**
 * Confirms the set-up with the app's first code (±1 step). That step counts as used, so the same code
 * cannot log in afterwards. A first authenticator app also gets a set of recovery codes, shown once.
 */
export async function confirmTotpSetup(deps: Deps, user: UserRow, code: unknown, request: RequestContext): Promise<ConfirmResult> {
  const totp = await loadTotp(deps, user.id);
  if (!totp || totp.row.confirmedAt !== null) return { ok: false, state: await totpState(deps, user) };
  const now = deps.clock();
  const step = typeof code === "string" ? matchingStep(totp.secret, code, now) : null;
  if (step === null || !(await totpStore(deps.db).confirm(user.id, totp.row.encryptedSecret, step, now))) {
    return { ok: false, state: await totpState(deps, user) };
  }
  await usersStore(deps.db).update(user.id, { factorsChangedAt: now });
  await notifyFactorChange(deps, user, { factor: "totp", action: "added" }, request);
  return { ok: true, recoveryCodes: await issueRecoveryCodesIfNone(deps, user.id) };
}

/** Turns the app off (the route has checked that the login is recent) and tells the owner. */
export async function removeTotp(deps: Deps, user: UserRow, request: RequestContext): Promise<boolean> {
  const removed = await totpStore(deps.db).remove(user.id);
  if (removed) await notifyFactorChange(deps, user, { factor: "totp", action: "removed" }, request);
  return removed;
}

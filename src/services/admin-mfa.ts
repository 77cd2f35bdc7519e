import { factorsStore } from "../storage/factors-store";
import { removePhone } from "../storage/phone-store";
import { deleteRecoveryCodes } from "../storage/recovery-codes-store";
import type { UserRow } from "../storage/schema";
import { deleteTotp } from "../storage/totp-store";
import { usersStore } from "../storage/users-store";
import { deletePasskey } from "../storage/webauthn-credentials-store";
import { ADMIN_ACTOR, type AdminOutcome, notFound, ok } from "./admin-outcome";
import { notifyFactorChange } from "./auth/factor-notices";
import type { FactorKind } from "./auth/methods";
import type { Deps } from "./deps";
import { deletePushSubscription } from "./push/subscriptions";
import type { RequestContext } from "./request-context";

/** One enrolled factor as an operator sees it: what, when, never a secret. */
export interface FactorSummary {
  /** `passkey_<credential id>`, `push_<subscription id>`, or `totp`, `recovery_codes`, `phone`. */
  id: string;
  type: "passkey" | "totp" | "recovery_codes" | "phone" | "push";
  name: string | null;
  createdAt: number | null;
  lastUsedAt: number | null;
  details: Record<string, unknown>;
}

async function activeUser(deps: Deps, userId: string): Promise<UserRow | undefined> {
  return usersStore(deps.db).findById(userId);
}

export async function listUserFactors(deps: Deps, userId: string): Promise<AdminOutcome<FactorSummary[]>> {
  const user = await activeUser(deps, userId);
  if (!user) return notFound("user");
  const found = await factorsStore(deps.db).details(userId);
  const factors: FactorSummary[] = found.passkeys.map((passkey) => ({
    id: `passkey_${passkey.id}`,
    type: "passkey",
    name: passkey.name,
    createdAt: passkey.createdAt,
    lastUsedAt: passkey.lastUsedAt,
    details: { synced: passkey.deviceType === "multiDevice", backed_up: passkey.backedUp },
  }));
  if (found.totp) factors.push({ id: "totp", type: "totp", name: null, createdAt: found.totp.confirmedAt, lastUsedAt: null, details: {} });
  if (found.recoveryCodes)
    factors.push({
      id: "recovery_codes",
      type: "recovery_codes",
      name: null,
      createdAt: found.recoveryCodes.createdAt,
      lastUsedAt: null,
      details: { remaining: found.recoveryCodes.remaining },
    });
  if (user.phone) factors.push({ id: "phone", type: "phone", name: user.phone, createdAt: null, lastUsedAt: null, details: { verified: user.phoneVerified } });
  for (const push of found.push) {
    factors.push({ id: `push_${push.id}`, type: "push", name: push.name, createdAt: push.createdAt, lastUsedAt: push.lastUsedAt, details: {} });
  }
  return ok(factors);
}

/** Removes one factor; the owner is told by email and the audit log records the operator. */
export async function deleteUserFactor(deps: Deps, userId: string, factorId: string, request: RequestContext): Promise<AdminOutcome<null>> {
  const user = await activeUser(deps, userId);
  if (!user) return notFound("user");
  const db = deps.db;
  let kind: FactorKind | null = null;
  if (factorId.startsWith("passkey_") && (await deletePasskey(db, userId, factorId.slice("passkey_".length)))) kind = "passkey";
  else if (factorId.startsWith("push_") && (await deletePushSubscription(db, userId, factorId.slice("push_".length)))) kind = "push";
  else if (factorId === "totp" && (await deleteTotp(db, userId))) kind = "totp";
  else if (factorId === "recovery_codes" && (await deleteRecoveryCodes(db, userId)) > 0) kind = "recovery_code";
  else if (factorId === "phone" && (await removePhone(db, userId))) kind = "sms";
  if (!kind) return notFound("factor");
  await deps.audit.record({ type: "admin.factor_deleted", outcome: "success", ...ADMIN_ACTOR, userId, details: { factor: factorId } }, request);
  await notifyFactorChange(deps, user, { factor: kind, action: "removed", actor: "admin", actorId: ADMIN_ACTOR.actorId }, request);
  return ok(null);
}

/**
 * Resets a user's second step (lost phone, lost security key): passkeys, authenticator app, recovery codes
 * and push devices go in one batch; the owner is told, the audit log records it.
 */
export async function resetUserMfa(deps: Deps, userId: string, request: RequestContext): Promise<AdminOutcome<null>> {
  const user = await activeUser(deps, userId);
  if (!user) return notFound("user");
  await factorsStore(deps.db).deleteAll(userId);
  await notifyFactorChange(deps, user, { factor: "totp", action: "reset", actor: "admin", actorId: ADMIN_ACTOR.actorId }, request);
  return ok(null);
}

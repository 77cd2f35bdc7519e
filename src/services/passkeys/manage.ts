import type { WebauthnCredentialRow } from "../../storage/mfa-schema";
import type { UserRow } from "../../storage/schema";
import { deletePasskey, listPasskeys, webauthnCredentialsStore } from "../../storage/webauthn-credentials-store";
import { notifyFactorChange } from "../auth/factor-notices";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { cleanPasskeyName } from "./registration";

export type RemoveResult = { ok: true } | { ok: false; reason: "not_found" | "needs_confirmation" };

/** What the account page lists. */
export function passkeysOf(deps: Deps, userId: string): Promise<WebauthnCredentialRow[]> {
  return listPasskeys(deps.db, userId);
}

/** True when this passkey is the account's only way in without a password (no password, no other passkey). */
export async function isLastPasswordlessWay(deps: Deps, user: UserRow, passkeyId: string): Promise<boolean> {
  if (user.passwordHash) return false;
  const passkeys = await listPasskeys(deps.db, user.id);
  return passkeys.length === 1 && passkeys[0]?.id === passkeyId;
}

/** Renames one of the user's passkeys; another user's id changes nothing. */
export async function renamePasskey(deps: Deps, user: UserRow, id: string, nameInput: unknown, request: RequestContext): Promise<boolean> {
  const name = cleanPasskeyName(nameInput);
  if (!name) return false;
  const renamed = await webauthnCredentialsStore(deps.db).rename(user.id, id, name);
  if (!renamed) return false;
  await deps.audit.record(
    { type: "passkey.renamed", outcome: "success", actorType: "user", actorId: user.id, userId: user.id, details: { credential_id: id } },
    request,
  );
  return true;
}

/**
 * Deletes one of the user's passkeys (the caller has checked the login is recent). Deleting the last way
 * in without a password needs `confirmed`: the page warns first. The owner is notified.
 */
export async function removePasskey(deps: Deps, user: UserRow, id: string, options: { confirmed: boolean }, request: RequestContext): Promise<RemoveResult> {
  if (!options.confirmed && (await isLastPasswordlessWay(deps, user, id))) return { ok: false, reason: "needs_confirmation" };
  const deleted = await deletePasskey(deps.db, user.id, id);
  if (!deleted) return { ok: false, reason: "not_found" };
  await deps.audit.record(
    { type: "passkey.deleted", outcome: "success", actorType: "user", actorId: user.id, userId: user.id, details: { credential_id: id, name: deleted.name } },
    request,
  );
  await notifyFactorChange(deps, user, { factor: "passkey", action: "removed" }, request);
  return { ok: true };
}

import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { isUniqueViolation } from "../../storage/db";
import type { WebauthnCredentialRow } from "../../storage/mfa-schema";
import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import { type NewWebauthnCredential, webauthnCredentialsStore } from "../../storage/webauthn-credentials-store";
import { notifyFactorChange } from "../auth/factor-notices";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { rememberCeremony, takeCeremony } from "./ceremonies";
import { challengeOf, parseRegistrationJson } from "./credential-json";
import { creationOptions, credentialIdBytes, MAX_CREDENTIAL_ID_BYTES, verifyNewCredential } from "./relying-party";

export type RegistrationResult = { ok: true; passkey: WebauthnCredentialRow } | { ok: false; reason: "invalid" | "duplicate" };

/** Longest passkey name we keep (it is only a label for the owner). */
export const MAX_PASSKEY_NAME_LENGTH = 64;

/** Starts adding a passkey to a signed-in account; the user's existing passkeys are excluded. */
export async function startPasskeyRegistration(deps: Deps, user: UserRow): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await webauthnCredentialsStore(deps.db).list(user.id);
  const options = await creationOptions(deps.config.webauthn, user, existing);
  await rememberCeremony(deps, options.challenge, "register", { userId: user.id });
  return options;
}

/** Finishes adding a passkey: the ceremony must have been started by this user; the credential must be new. */
export async function finishPasskeyRegistration(
  deps: Deps,
  user: UserRow,
  input: { credentialJson: string | undefined; name: string },
  request: RequestContext,
): Promise<RegistrationResult> {
  const checked = await checkNewPasskey(deps, input.credentialJson, "register", user.id);
  if (!checked.ok) return registrationFailed(deps, request, user.id, checked.reason);
  const now = deps.clock();
  const row = passkeyRow(user.id, checked.response, checked.info, input.name, now);
  try {
    await deps.db.batch([
      webauthnCredentialsStore(deps.db).insertStatement(row),
      usersStore(deps.db).updateStatement(user.id, { factorsChangedAt: now, updatedAt: now }),
      deps.audit.statement(
        { type: "passkey.registered", outcome: "success", actorType: "user", actorId: user.id, userId: user.id, details: registeredDetails(row) },
        request,
      ),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return registrationFailed(deps, request, user.id, "duplicate_credential_id");
  }
  await notifyFactorChange(deps, user, { factor: "passkey", action: "added" }, request);
  const passkey = await webauthnCredentialsStore(deps.db).findById(row.id);
  return passkey ? { ok: true, passkey } : { ok: false, reason: "invalid" };
}

type Verified = Extract<Awaited<ReturnType<typeof verifyNewCredential>>, { ok: true }>["info"];

/**
 * Takes the ceremony the response answers (single use, before verification) and verifies the attestation.
 * `userId` is the account the ceremony was offered to; a response to another account's ceremony fails.
 */
export async function checkNewPasskey(
  deps: Deps,
  credentialJson: string | undefined,
  purpose: "register" | "signup",
  userId: string | null,
  acceptCeremony: (context: Record<string, unknown> | null) => Promise<boolean> = async () => true,
): Promise<{ ok: true; response: RegistrationResponseJSON; info: Verified; ceremonyUserId: string } | { ok: false; reason: string }> {
  const response = parseRegistrationJson(credentialJson);
  if (!response) return { ok: false, reason: "malformed" };
  // Checked before anything is stored or verified: a huge ID is refused whatever else it carries.
  if (credentialIdBytes(response.id) > MAX_CREDENTIAL_ID_BYTES) return { ok: false, reason: "credential_id_too_long" };
  const ceremony = await takeCeremony(deps, challengeOf(response), purpose);
  if (!ceremony?.userId || (userId !== null && ceremony.userId !== userId) || !(await acceptCeremony(ceremony.context))) {
    return { ok: false, reason: "challenge" };
  }
  const verified = await verifyNewCredential(deps.config.webauthn, response, ceremony.challenge);
  if (!verified.ok) return verified;
  if (verified.info.credential.id !== response.id) return { ok: false, reason: "credential_id_mismatch" };
  if (await webauthnCredentialsStore(deps.db).findById(response.id)) return { ok: false, reason: "duplicate_credential_id" };
  return { ok: true, response, info: verified.info, ceremonyUserId: ceremony.userId };
}

/** The row to store for a verified new passkey. The public key is the COSE key, base64url. */
export function passkeyRow(userId: string, response: RegistrationResponseJSON, info: Verified, name: string, now: number): NewWebauthnCredential {
  return {
    id: info.credential.id,
    userId,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    signCount: info.credential.counter,
    transports: response.response.transports ?? null,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    aaguid: info.aaguid,
    name: cleanPasskeyName(name) ?? "Passkey",
    createdAt: now,
  };
}

/** A passkey name as typed: trimmed, control characters removed, at most 64 characters; null when empty. */
export function cleanPasskeyName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const name = value.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return name.length > 0 ? [...name].slice(0, MAX_PASSKEY_NAME_LENGTH).join("") : null;
}

export function registeredDetails(row: NewWebauthnCredential): Record<string, unknown> {
  return { credential_id: row.id, device_type: row.deviceType, backed_up: row.backedUp, aaguid: row.aaguid };
}

/** Audits a refused registration; the browser learns only "invalid" or "duplicate". */
export async function registrationFailed(deps: Deps, request: RequestContext, userId: string | null, reason: string): Promise<RegistrationResult> {
  await deps.audit.record(
    { type: "passkey.registration_failed", outcome: "failure", actorType: userId ? "user" : "anonymous", actorId: userId, userId, details: { reason } },
    request,
  );
  return { ok: false, reason: reason === "duplicate_credential_id" ? "duplicate" : "invalid" };
}

import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { isoBase64URL, isoUint8Array } from "@simplewebauthn/server/helpers";
import type { Config } from "../../config";
import { randomBytes } from "../../lib/random";
import type { WebauthnCredentialRow } from "../../storage/mfa-schema";

/** How long a ceremony may take, in the browser (timeout) and for its stored challenge. */
export const CEREMONY_LIFETIME_MS = 5 * 60 * 1000;
/** WebAuthn §6.4.4 does not cap credential IDs below 1,023 bytes; longer ones are refused (Level 3 caps them there). */
export const MAX_CREDENTIAL_ID_BYTES = 1023;

type RelyingParty = Config["webauthn"];

/** A fresh challenge: 32 random bytes (the spec asks for at least 16); the options carry it base64url, as the browser echoes it. */
function newChallenge(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(32));
}

/**
 * The user handle of a passkey is the account id's bytes: random, no personal data, and what a
 * discoverable login hands back to find the account.
 */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return isoUint8Array.fromUTF8String(userId);
}

/**
 * Options for creating a discoverable passkey with user verification: such a passkey alone is a
 * phishing-resistant multi-factor login. "none" attestation: we do not gate on authenticator models.
 */
export function creationOptions(
  rp: RelyingParty,
  user: { id: string; email: string; name: string | null },
  existing: Pick<WebauthnCredentialRow, "id" | "transports">[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userID: userHandleOf(user.id),
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    challenge: newChallenge(),
    timeout: CEREMONY_LIFETIME_MS,
    attestationType: "none",
    excludeCredentials: existing.map((credential) => ({ id: credential.id, transports: credential.transports ?? undefined })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
}

/** Options for an assertion; `allow` empty means "any discoverable passkey for this RP" (passwordless login). */
export function requestOptions(
  rp: RelyingParty,
  allow: Pick<WebauthnCredentialRow, "id" | "transports">[],
  userVerification: "required" | "preferred",
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.rpId,
    challenge: newChallenge(),
    timeout: CEREMONY_LIFETIME_MS,
    userVerification,
    allowCredentials: allow.map((credential) => ({ id: credential.id, transports: (credential.transports ?? undefined) as never })),
  });
}

/**
 * Checks an attestation: type, challenge, origin, rpIdHash, UP and UV flags, backup flags, the public key's
 * algorithm. Returns null (never throws) when anything is off; `reason` is for the audit log only.
 */
export async function verifyNewCredential(rp: RelyingParty, response: RegistrationResponseJSON, challenge: string) {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
    });
    if (!result.verified) return { ok: false as const, reason: "not_verified" };
    const info = result.registrationInfo;
    if (credentialIdBytes(info.credential.id) > MAX_CREDENTIAL_ID_BYTES) {
      return { ok: false as const, reason: "credential_id_too_long" };
    }
    return { ok: true as const, info };
  } catch (error) {
    return { ok: false as const, reason: reasonOf(error) };
  }
}

/**
 * Checks an assertion against a stored passkey. The library's own counter rule is switched off (stored
 * counter passed as 0) so a regression can be told apart from a bad signature: the caller compares
 * `newCounter` with the stored value only after the signature proved the key.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  challenge: string,
  credential: WebauthnCredentialRow,
  requireUserVerification: boolean,
) {
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification,
      credential: {
        id: credential.id,
        publicKey: isoBase64URL.toBuffer(credential.publicKey),
        counter: 0,
        transports: (credential.transports ?? undefined) as never,
      },
    });
    if (!result.verified) return { ok: false as const, reason: "not_verified" };
    return { ok: true as const, info: result.authenticationInfo };
  } catch (error) {
    return { ok: false as const, reason: reasonOf(error) };
  }
}

/** Decoded length of a base64url credential ID. */
export function credentialIdBytes(id: string): number {
  const unpadded = id.replace(/=+$/, "");
  return Math.floor((unpadded.length * 3) / 4);
}

/** A short, non-secret description of why the library refused, for the audit log. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/origin/i.test(message)) return "origin";
  if (/RP ID|rpIdHash/i.test(message)) return "rp_id";
  if (/challenge/i.test(message)) return "challenge";
  if (/verification required|not be verified/i.test(message)) return "user_verification";
  if (/not present/i.test(message)) return "user_presence";
  if (/backup/i.test(message)) return "backup_flags";
  if (/signature/i.test(message)) return "signature";
  return "invalid_response";
}

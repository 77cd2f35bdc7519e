import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { askGuard } from "../../storage/guards";
import type { WebauthnCredentialRow } from "../../storage/mfa-schema";
import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import { webauthnCredentialsStore } from "../../storage/webauthn-credentials-store";
import { checkFactorAttempt, clearFactorFailures, recordFactorFailure } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { markRisk } from "../risk/marks";
import { rememberCeremony, takeCeremony } from "./ceremonies";
import { challengeOf, parseAuthenticationJson, userIdOfHandle } from "./credential-json";
import { requestOptions, verifyAssertion } from "./relying-party";

export type AssertionResult =
  | { ok: true; user: UserRow; passkey: WebauthnCredentialRow; userVerified: boolean }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

const INVALID = { ok: false, reason: "invalid" } as const;

/** Anonymous ceremonies (each one a D1 row) a source may start per hour: generous, but no table flooding. */
export const LOGIN_CEREMONIES_PER_IP_PER_HOUR = 300;

/** Starts a passwordless login: no user yet, so any discoverable passkey of this RP may answer; UV required. */
export async function startPasskeyLogin(
  deps: Deps,
  request: RequestContext,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON } | { retryAfterSeconds: number }> {
  const limit = await askGuard(() => deps.guards.ip(request.ip).hit("passkey_login", LOGIN_CEREMONIES_PER_IP_PER_HOUR, 3600, deps.clock()));
  if (!limit.allowed) return { retryAfterSeconds: limit.retryAfterSeconds };
  const options = await requestOptions(deps.config.webauthn, [], "required");
  await rememberCeremony(deps, options.challenge, "authenticate");
  return { options };
}

/**
 * Finishes a passwordless login. The passkey alone proves the user (possession plus user verification),
 * so UV is required. Every refusal looks the same to the browser; the reason goes to the audit log.
 */
export async function finishPasskeyLogin(deps: Deps, credentialJson: string | undefined, request: RequestContext): Promise<AssertionResult> {
  const response = parseAuthenticationJson(credentialJson);
  if (!response) return INVALID;
  const ceremony = await takeCeremony(deps, challengeOf(response), "authenticate");
  if (!ceremony) return refuse(deps, request, null, "challenge");
  const passkey = await webauthnCredentialsStore(deps.db).findById(response.id);
  if (!passkey) return refuse(deps, request, null, "unknown_credential");
  // A discoverable assertion names its account; it must be the one the passkey was registered to.
  const handleUserId = userIdOfHandle(response.response.userHandle);
  if (handleUserId !== null && handleUserId !== passkey.userId) return refuse(deps, request, passkey.userId, "user_handle");
  const attempt = await checkFactorAttempt(deps, passkey.userId);
  if (!attempt.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: attempt.retryAfterSeconds };
  return checkPasskey(deps, request, { response, challenge: ceremony.challenge, passkey, requireUserVerification: true });
}

/** Starts a passkey as second factor: only the pending user's passkeys are allowed. Null when they have none. */
export async function startPasskeySecondFactor(deps: Deps, pending: { id: string; userId: string }): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const passkeys = await webauthnCredentialsStore(deps.db).list(pending.userId);
  if (passkeys.length === 0) return null;
  const options = await requestOptions(deps.config.webauthn, passkeys, "preferred");
  await rememberCeremony(deps, options.challenge, "second_factor", { userId: pending.userId, context: { pendingLoginId: pending.id } });
  return options;
}

/**
 * Finishes a passkey as second factor. The challenge must have been offered to this pending login, and the
 * passkey must be the pending user's: another user's credential, even with a valid signature, is refused.
 */
export async function finishPasskeySecondFactor(
  deps: Deps,
  pending: { id: string; userId: string },
  credentialJson: string | undefined,
  request: RequestContext,
): Promise<AssertionResult> {
  // The user is known here, so every attempt counts from the first byte on.
  const attempt = await checkFactorAttempt(deps, pending.userId);
  if (!attempt.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: attempt.retryAfterSeconds };
  const response = parseAuthenticationJson(credentialJson);
  if (!response) return fail(deps, request, pending.userId, "malformed");
  const ceremony = await takeCeremony(deps, challengeOf(response), "second_factor");
  if (!ceremony || ceremony.userId !== pending.userId || ceremony.context?.pendingLoginId !== pending.id) {
    return fail(deps, request, pending.userId, "challenge");
  }
  const passkey = await webauthnCredentialsStore(deps.db).findById(response.id);
  if (!passkey || passkey.userId !== pending.userId) return fail(deps, request, pending.userId, "foreign_credential");
  return checkPasskey(deps, request, { response, challenge: ceremony.challenge, passkey, requireUserVerification: false });
}

/** Signature and flags, then the counter rule; records the use. The caller has checked the user's attempt budget. */
async function checkPasskey(
  deps: Deps,
  request: RequestContext,
  input: { response: AuthenticationResponseJSON; challenge: string; passkey: WebauthnCredentialRow; requireUserVerification: boolean },
): Promise<AssertionResult> {
  const { passkey } = input;
  const user = await usersStore(deps.db).findById(passkey.userId);
  if (user?.status !== "active") return refuse(deps, request, passkey.userId, "account_inactive");

  const verified = await verifyAssertion(deps.config.webauthn, input.response, input.challenge, passkey, input.requireUserVerification);
  if (!verified.ok) return fail(deps, request, user.id, verified.reason);
  const { newCounter, credentialDeviceType, credentialBackedUp, userVerified } = verified.info;
  // Backup eligibility is fixed when a credential is made: a flip means this is not the authenticator we registered.
  if (credentialDeviceType !== passkey.deviceType) return fail(deps, request, user.id, "backup_eligibility_changed");

  const store = webauthnCredentialsStore(deps.db);
  const now = deps.clock();
  if ((newCounter > 0 || passkey.signCount > 0) && newCounter <= passkey.signCount) {
    // The key signed, but its counter went backwards: a cloned authenticator, or this assertion was
    // replayed. Refused, and kept as a warning on the passkey and a risk signal in the audit log.
    await store.markCounterRegressed(passkey.id, now);
    await deps.audit.record(
      {
        type: "passkey.counter_regressed",
        outcome: "failure",
        actorType: "user",
        actorId: user.id,
        userId: user.id,
        details: { credential_id: passkey.id, stored_counter: passkey.signCount, received_counter: newCounter },
      },
      request,
    );
    await markRisk(deps, user.id, "passkey_counter_regression");
    return fail(deps, request, user.id, "counter_regressed");
  }
  // Conditional on the counter still being lower: of two racing uses with the same counter, one wins.
  const used = await store.recordUse(passkey.id, { counter: newCounter, backedUp: credentialBackedUp, now });
  if (!used) return fail(deps, request, user.id, "counter_race");
  await clearFactorFailures(deps, user.id);
  return { ok: true, user, passkey: used, userVerified };
}

/** A refusal about a known user: counted in their guard (backoff) and audited by `recordFactorFailure`. */
async function fail(deps: Deps, request: RequestContext, userId: string, reason: string): Promise<AssertionResult> {
  await recordFactorFailure(deps, userId, "passkey", request);
  return refuse(deps, request, userId, reason, { counted: true });
}

async function refuse(
  deps: Deps,
  request: RequestContext,
  userId: string | null,
  reason: string,
  options: { counted?: boolean } = {},
): Promise<AssertionResult> {
  await deps.audit.record(
    {
      type: "passkey.assertion_failed",
      outcome: "failure",
      actorType: userId ? "user" : "anonymous",
      userId,
      details: { reason, counted: Boolean(options.counted) },
    },
    request,
  );
  return INVALID;
}

import * as oauth from "oauth4webapi";
import { sha256Hex } from "../../lib/hashing";
import { randomToken } from "../../lib/random";
import { timingSafeEqualDigests } from "../../lib/timing-safe";
import type { FederationStateRow, IdentityProviderRow } from "../../storage/federation-schema";
import { identityFlowsStore } from "../../storage/identity-flows-store";
import type { Deps } from "../deps";
import { redirectUriFor, upstreamFor } from "./identity-providers";
import { asUpstreamError } from "./providers/oidc";
import { UpstreamError, type UpstreamProfile } from "./upstream";

/** An authorization request is good for ten minutes. */
export const FEDERATION_STATE_LIFETIME_MS = 10 * 60 * 1000;

/** Browser binding tokens are base64url (43 characters for 256 bits). */
const BINDING_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface StartedFlow {
  url: URL;
  /** The browser binding to (re)set in the `SameSite=None` cookie. */
  binding: string;
}

/**
 * Starts a login (or, with `linkUserId`, a link) at the provider: `state`, `nonce` and the PKCE verifier
 * are kept server-side under the hash of `state`, together with a hash of this browser's binding token,
 * so a callback URL carried to another browser (login CSRF, a leaked `state`) is refused.
 */
export async function startFlow(
  deps: Deps,
  provider: IdentityProviderRow,
  options: { returnTo: string; linkUserId: string | null; binding: string | undefined },
): Promise<StartedFlow> {
  const binding = options.binding && BINDING_FORMAT.test(options.binding) ? options.binding : randomToken();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const now = deps.clock();
  const flows = identityFlowsStore(deps.db);
  deps.defer(flows.sweep(now));
  const upstream = await upstreamFor(deps, provider);
  let url: URL;
  try {
    url = await upstream.authorizationUrl({ state, nonce, codeVerifier, redirectUri: redirectUriFor(deps, provider.id) });
  } catch (error) {
    throw asUpstreamError(error);
  }
  await flows.saveState({
    stateHash: await sha256Hex(state),
    providerId: provider.id,
    bindingHash: await sha256Hex(binding),
    nonce,
    codeVerifier,
    returnTo: options.returnTo,
    linkUserId: options.linkUserId,
    createdAt: now,
    expiresAt: now + FEDERATION_STATE_LIFETIME_MS,
  });
  return { url, binding };
}

export type CallbackResult =
  | { ok: true; profile: UpstreamProfile; flow: FederationStateRow }
  /** `message` says what failed, for the audit log (never shown to the customer). */
  | { ok: false; reason: "bad_state" | UpstreamError["kind"]; message?: string };

/**
 * The provider's answer. The state is taken once (a replay finds nothing), must belong to this provider
 * and to this browser; only then is the code redeemed and the ID token validated.
 */
export async function completeFlow(
  deps: Deps,
  provider: IdentityProviderRow,
  parameters: URLSearchParams,
  binding: string | undefined,
): Promise<CallbackResult> {
  const state = parameters.get("state");
  if (!state || state.length > 512) return { ok: false, reason: "bad_state" };
  const flow = await identityFlowsStore(deps.db).takeState(await sha256Hex(state), deps.clock());
  if (!flow || flow.providerId !== provider.id) return { ok: false, reason: "bad_state" };
  if (!binding || !BINDING_FORMAT.test(binding) || !timingSafeEqualDigests(await sha256Hex(binding), flow.bindingHash))
    return { ok: false, reason: "bad_state" };
  try {
    const upstream = await upstreamFor(deps, provider);
    const profile = await upstream.completeCallback({
      parameters,
      state,
      nonce: flow.nonce,
      codeVerifier: flow.codeVerifier,
      redirectUri: redirectUriFor(deps, provider.id),
    });
    return { ok: true, profile, flow };
  } catch (error) {
    const upstreamError = asUpstreamError(error);
    return { ok: false, reason: upstreamError.kind, message: upstreamError.message };
  }
}

export { UpstreamError };

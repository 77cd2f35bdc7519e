/**
 * What every upstream identity provider offers Gatehouse, whichever library talks to it (oauth4webapi for
 * OpenID Connect, arctic for the OAuth-only social providers): a URL to send the browser to, and a callback
 * that turns the upstream's answer into a verified profile or throws an `UpstreamError`.
 */
export interface UpstreamProvider {
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  /** Checks the callback (state, error, code), redeems the code and returns the verified identity. */
  completeCallback(callback: CallbackInput): Promise<UpstreamProfile>;
}

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface CallbackInput extends AuthorizationRequest {
  /** The callback's parameters: the query of a GET, the form of Apple's form_post. */
  parameters: URLSearchParams;
}

/** A verified upstream identity. `iss` + `sub` is the key; the rest is profile. */
export interface UpstreamProfile {
  iss: string;
  sub: string;
  /** Claims as the provider gave them (ID token merged with user info), for attribute mapping. */
  claims: Record<string, unknown>;
}

export type UpstreamErrorKind = "denied" | "unavailable" | "rejected";

/**
 * A callback that did not yield an identity: the customer declined (`denied`), the provider failed or was
 * too slow (`unavailable`), or its answer did not verify (`rejected`: wrong issuer, audience, nonce, signature…).
 */
export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UpstreamError";
  }
}

/** How long one upstream HTTP call may take before the login fails with a friendly page. */
export const UPSTREAM_TIMEOUT_MS = 10_000;

/**
 * `fetch` with a deadline, looked up at call time (so tests can intercept `globalThis.fetch`). A timeout
 * or network failure becomes `UpstreamError("unavailable")`.
 */
export async function upstreamFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(UPSTREAM_TIMEOUT_MS)]) : AbortSignal.timeout(UPSTREAM_TIMEOUT_MS);
  try {
    return await globalThis.fetch(input, { ...init, signal });
  } catch (error) {
    throw new UpstreamError("unavailable", `upstream request failed: ${error instanceof Error ? error.name : "error"}`, { cause: error });
  }
}

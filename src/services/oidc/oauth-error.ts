/** The closed list of OAuth error codes we answer with (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; RFC 7009; OIDC Core §3.1.2.6; RFC 9126). */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "access_denied"
  | "server_error"
  | "temporarily_unavailable"
  | "invalid_token"
  | "insufficient_scope"
  | "unsupported_token_type"
  | "login_required"
  | "consent_required"
  | "interaction_required"
  | "account_selection_required"
  | "invalid_request_uri"
  | "invalid_request_object"
  | "request_not_supported"
  | "request_uri_not_supported"
  | "invalid_redirect_uri"
  | "invalid_client_metadata"
  | "slow_down"
  | "invalid_target";

/**
 * An OAuth error with a public description (sent to the client) and an optional internal detail
 * (logged only). One serializer (routes/oauth-response.ts) turns it into RFC 6749 §5.2 JSON.
 */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly options: { status?: number; internal?: string; wwwAuthenticate?: string; retryAfterSeconds?: number } = {},
  ) {
    super(`${code}: ${description}`);
  }

  /** HTTP status per RFC 6749 §5.2 / RFC 6750 §3.1 unless given. */
  get status(): number {
    if (this.options.status) return this.options.status;
    switch (this.code) {
      case "invalid_client":
      case "invalid_token":
        return 401;
      case "insufficient_scope":
        return 403;
      case "server_error":
        return 500;
      case "temporarily_unavailable":
        return 503;
      case "slow_down":
        return 429;
      default:
        return 400;
    }
  }
}

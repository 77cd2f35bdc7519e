import { SUPPORTED_ACRS } from "../auth/methods";
import { SIGNING_ALGS } from "./keys";
import { OIDC_SCOPES, SUPPORTED_CLAIMS } from "./scopes";

const cache = new Map<string, string>();

/**
 * The discovery document (OIDC Discovery 1.0 §3, RFC 8414 §2), serialized once per issuer and isolate:
 * no storage read per request.
 */
export function discoveryJson(issuer: string, options: { registration: boolean }): string {
  const key = `${issuer}|${options.registration}`;
  let json = cache.get(key);
  if (!json) {
    json = JSON.stringify({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks.json`,
      revocation_endpoint: `${issuer}/revoke`,
      introspection_endpoint: `${issuer}/introspect`,
      pushed_authorization_request_endpoint: `${issuer}/par`,
      end_session_endpoint: `${issuer}/logout`,
      ...(options.registration ? { registration_endpoint: `${issuer}/register` } : {}),
      scopes_supported: [...OIDC_SCOPES],
      response_types_supported: ["code"],
      response_modes_supported: ["query", "form_post"],
      grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: SIGNING_ALGS,
      userinfo_signing_alg_values_supported: [],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
      token_endpoint_auth_signing_alg_values_supported: ["ES256", "EdDSA", "RS256", "PS256"],
      revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
      code_challenge_methods_supported: ["S256"],
      claims_supported: SUPPORTED_CLAIMS,
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      require_pushed_authorization_requests: false,
      authorization_response_iss_parameter_supported: true,
      prompt_values_supported: ["none", "login", "consent", "create", "select_account"],
      ui_locales_supported: ["en", "de"],
      acr_values_supported: [...SUPPORTED_ACRS],
      frontchannel_logout_supported: false,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
    cache.set(key, json);
  }
  return json;
}

import type { JWK } from "jose";
import type { MfaPolicy } from "../auth/mfa-policies";
import type { ClientRiskPolicy } from "../risk/policy";

export type GrantType = "authorization_code" | "refresh_token" | "client_credentials";
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
export type SigningAlg = "ES256" | "EdDSA" | "RS256";

/** A registered OAuth client, as the protocol code uses it (camelCase; wire names live in the routes). */
export interface Client {
  clientId: string;
  clientName: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** Scopes the client may ask for (space-separated on the wire). */
  scopes: string[];
  /** First-party clients skip the consent page. */
  firstParty: boolean;
  /** This app's second-factor policy; null: the global default. */
  mfaPolicy: MfaPolicy | null;
  /** This app's risk thresholds and whether its ID tokens carry the risk claim; null: the global policy. */
  riskPolicy: ClientRiskPolicy | null;
  /** Verified contact details the user needs before this app gets tokens; empty: none. */
  requireVerified: ("email" | "phone")[];
  backchannelLogoutUri: string | null;
  backchannelLogoutSessionRequired: boolean;
  /** Public keys for private_key_jwt (never fetched from a URL). */
  jwks: { keys: JWK[] } | null;
  idTokenSignedResponseAlg: SigningAlg;
  /** SHA-256 (hex) of the secret for confidential clients using client_secret_*. */
  secretHash: string | null;
  /** Audiences (RFC 8707 resource indicators) the client may request access tokens for. */
  allowedResources: string[];
  /** OIDC Registration `application_type`: only native apps get the any-port loopback rule. */
  applicationType: "web" | "native";
}

/** Public clients authenticate with nothing but PKCE. */
export function isPublicClient(client: Client): boolean {
  return client.tokenEndpointAuthMethod === "none";
}

/**
 * Redirect URIs match by exact string comparison (RFC 6749 §3.1.2.3, OAuth 2.0 Security BCP), except that
 * for native apps (`anyLoopbackPort`) a loopback IP redirect may use any port (RFC 8252 §7.3, RFC 9700 §2.1): `http://127.0.0.1:PORT/path`
 * or `http://[::1]:PORT/path` matches a registered URI that differs only in the port.
 */
export function isRedirectUriRegistered(registered: string[], candidate: string, anyLoopbackPort: boolean): boolean {
  if (registered.includes(candidate)) return true;
  if (!anyLoopbackPort) return false;
  const loopback = parseLoopback(candidate);
  if (!loopback) return false;
  return registered.some((uri) => {
    const other = parseLoopback(uri);
    return other !== null && other.host === loopback.host && other.rest === loopback.rest;
  });
}

function parseLoopback(uri: string): { host: string; rest: string } | null {
  const match = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(\/[^#]*)?$/.exec(uri);
  if (!match) return null;
  return { host: match[1] as string, rest: match[3] ?? "/" };
}

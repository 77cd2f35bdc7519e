import * as oauth from "oauth4webapi";
import { type AuthorizationRequest, type CallbackInput, UpstreamError, type UpstreamProfile, type UpstreamProvider, upstreamFetch } from "../upstream";
import { type UpstreamMetadata, upstreamMetadata, verifyIdTokenSignature } from "./metadata-cache";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: readonly string[];
  /** Plain-http issuers (development only: a provider on localhost). */
  allowHttp: boolean;
  /** How the client authenticates at the token endpoint; defaults to `client_secret_basic`. */
  clientAuth?: () => Promise<oauth.ClientAuth>;
  /** Extra authorization parameters (Apple's `response_mode=form_post`). */
  extraParameters?: Record<string, string>;
  /** Whether to call the UserInfo endpoint and merge its claims (skipped when the provider has none). */
  userInfo?: boolean;
  /** A multi-tenant endpoint (Entra `common`): its document's issuer is a template, each token names its tenant. */
  multiTenant?: MultiTenantIssuer;
}

/** How the issuers of a multi-tenant endpoint are checked. */
export interface MultiTenantIssuer {
  /** The `issuer` the discovery document must state (e.g. `https://login.microsoftonline.com/{tenantid}/v2.0`). */
  documentIssuer: string;
  /** The issuer an ID token with these claims must carry; null refuses the token (a tenant not allowed). */
  tokenIssuer(claims: Record<string, unknown>): string | null;
}

/**
 * oauth4webapi's hooks for multi-tenant issuers (the same ones openid-client uses for Entra ID): exported
 * at run time but not in its type declarations. The version is pinned; without them every token is refused.
 */
const hooks = oauth as unknown as { _nodiscoverycheck?: symbol; _expectedIssuer?: symbol };
/** An issuer no token carries: what a token from a tenant that is not allowed is compared with. */
const NO_ISSUER = "urn:gatehouse:issuer-not-allowed";

export const DEFAULT_OIDC_SCOPES = ["openid", "email", "profile"] as const;

/**
 * Any OpenID Connect provider by its issuer, through oauth4webapi: discovery, PKCE S256, `state`, `nonce`,
 * and ID-token validation (`iss`, `aud`, `exp`, `iat`, `nonce`, and the signature against the provider's
 * JWKS via `validateApplicationLevelSignature`) by the library, never by hand.
 */
export function oidcProvider(settings: OidcSettings): UpstreamProvider {
  const client: oauth.Client = { client_id: settings.clientId };
  const options = { [oauth.customFetch]: upstreamFetch, [oauth.allowInsecureRequests]: settings.allowHttp };
  const clientAuth = async (): Promise<oauth.ClientAuth> =>
    settings.clientAuth ? settings.clientAuth() : settings.clientSecret ? oauth.ClientSecretBasic(settings.clientSecret) : oauth.None();

  /** The issuer's metadata and keys, cached per isolate (metadata-cache.ts). */
  async function metadata(): Promise<UpstreamMetadata> {
    const issuer = new URL(settings.issuer);
    return guard(() =>
      upstreamMetadata(issuer.href, async () => {
        const document = await oauth.discoveryRequest(issuer, { ...options, algorithm: "oidc" });
        return settings.multiTenant ? multiTenantMetadata(document, settings.multiTenant) : oauth.processDiscoveryResponse(issuer, document);
      }),
    );
  }

  return {
    async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
      const { as } = await metadata();
      if (!as.authorization_endpoint) throw new UpstreamError("unavailable", "the provider publishes no authorization endpoint");
      const url = new URL(as.authorization_endpoint);
      url.searchParams.set("client_id", settings.clientId);
      url.searchParams.set("redirect_uri", request.redirectUri);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("scope", settings.scopes.join(" "));
      url.searchParams.set("state", request.state);
      url.searchParams.set("nonce", request.nonce);
      url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(request.codeVerifier));
      url.searchParams.set("code_challenge_method", "S256");
      for (const [key, value] of Object.entries(settings.extraParameters ?? {})) url.searchParams.set(key, value);
      return url;
    },

    async completeCallback(callback: CallbackInput): Promise<UpstreamProfile> {
      const entry = await metadata();
      const { as } = entry;
      return guard(async () => {
        const parameters = oauth.validateAuthResponse(as, client, callback.parameters, callback.state);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          await clientAuth(),
          parameters,
          callback.redirectUri,
          callback.codeVerifier,
          options,
        );
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: callback.nonce, requireIdToken: true });
        // oauth4webapi trusts TLS for a token-endpoint ID token and skips its signature; we check it anyway
        // against the provider's JWKS (the issue asks for it, and a development issuer has no TLS at all).
        await verifyIdTokenSignature(entry, response, options);
        const idToken = oauth.getValidatedIdTokenClaims(tokens);
        if (!idToken) throw new UpstreamError("rejected", "the provider returned no ID token");
        let claims: Record<string, unknown> = { ...idToken };
        if (settings.userInfo !== false && as.userinfo_endpoint) {
          const info = await oauth.processUserInfoResponse(as, client, idToken.sub, await oauth.userInfoRequest(as, client, tokens.access_token, options));
          // The ID token's claims win: they are signed, the UserInfo answer only rides on TLS.
          claims = { ...info, ...claims };
        }
        return { iss: idToken.iss, sub: idToken.sub, claims };
      });
    },
  };
}

/**
 * The discovery document of a multi-tenant endpoint names a template issuer, not the URL it was fetched
 * from: it must state exactly the expected template, and each ID token's `iss` is then checked (by the
 * library) against the issuer of the tenant the token names, when that tenant is allowed.
 */
async function multiTenantMetadata(document: Response, tenants: MultiTenantIssuer): Promise<oauth.AuthorizationServer> {
  const { _nodiscoverycheck: noCheck, _expectedIssuer: expectedIssuer } = hooks;
  if (!noCheck || !expectedIssuer) throw new UpstreamError("unavailable", "oauth4webapi offers no multi-tenant issuer check");
  const as = await oauth.processDiscoveryResponse(noCheck as unknown as URL, document);
  if (as.issuer !== tenants.documentIssuer) throw new UpstreamError("rejected", "the discovery document names an unexpected issuer");
  return { ...as, [expectedIssuer]: (result: { claims: Record<string, unknown> }) => tenants.tokenIssuer(result.claims) ?? NO_ISSUER };
}

/** oauth4webapi's errors as UpstreamError: the customer declined, the provider failed, or its answer did not verify. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asUpstreamError(error);
  }
}

export function asUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof oauth.AuthorizationResponseError) {
    return new UpstreamError(error.error === "access_denied" ? "denied" : "rejected", `authorization error: ${error.error}`, { cause: error });
  }
  if (error instanceof oauth.ResponseBodyError) return new UpstreamError("rejected", `token endpoint error: ${error.error}`, { cause: error });
  if (error instanceof oauth.OperationProcessingError && (error.code === oauth.RESPONSE_IS_NOT_CONFORM || error.code === oauth.RESPONSE_IS_NOT_JSON)) {
    return new UpstreamError("unavailable", error.message, { cause: error });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) return new UpstreamError("rejected", "the provider refused the request", { cause: error });
  return new UpstreamError("rejected", error instanceof Error ? error.message : "invalid upstream response", { cause: error });
}

import { importPKCS8, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import type { UpstreamProvider } from "../upstream";
import { oidcProvider } from "./oidc";
import type { ProviderSettings } from "./settings";

export const APPLE_ISSUER = "https://appleid.apple.com";

/**
 * Sign in with Apple: OpenID Connect, but the client secret is a short ES256 JWT signed with the team's
 * private key, and asking for `name email` makes Apple answer with a cross-site `form_post` (the callback
 * accepts POST and finds its state server-side). Apple has no UserInfo endpoint: the ID token is everything.
 */
export function appleProvider(settings: ProviderSettings): UpstreamProvider {
  const { team_id: teamId = "", key_id: keyId = "" } = settings.settings;
  const privateKey = settings.privateKey ?? "";
  return oidcProvider({
    issuer: APPLE_ISSUER,
    clientId: settings.clientId,
    clientSecret: null,
    scopes: settings.scopes ?? ["openid", "name", "email"],
    allowHttp: false,
    userInfo: false,
    extraParameters: { response_mode: "form_post" },
    clientAuth: async () => oauth.ClientSecretPost(await appleClientSecret(settings.clientId, teamId, keyId, privateKey)),
  });
}

/** The client secret Apple expects: `iss` team id, `sub` the Services ID, `aud` Apple, five minutes. */
export async function appleClientSecret(clientId: string, teamId: string, keyId: string, privateKeyPem: string): Promise<string> {
  const key = await importPKCS8(privateKeyPem, "ES256");
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: keyId })
    .setIssuer(teamId)
    .setSubject(clientId)
    .setAudience(APPLE_ISSUER)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

import { Facebook } from "arctic";
import type { UpstreamProvider } from "../upstream";
import { getJson, idString, oauthSocialProvider } from "./oauth-social";
import type { ProviderSettings } from "./settings";

export const FACEBOOK_ISSUER = "https://www.facebook.com";

/**
 * Facebook: OAuth only, profile from the Graph API. Facebook confirms the addresses it returns but says
 * nothing per address, so `email_verified` is left out: such an email never links automatically.
 */
export function facebookProvider(settings: ProviderSettings): UpstreamProvider {
  const client = new Facebook(settings.clientId, settings.clientSecret ?? "", settings.redirectUri);
  const scopes = settings.scopes ?? ["email", "public_profile"];
  return oauthSocialProvider(
    {
      createAuthorizationURL: (request) => client.createAuthorizationURL(request.state, scopes),
      validateAuthorizationCode: (code) => client.validateAuthorizationCode(code),
    },
    async (token) => {
      const user = await getJson("https://graph.facebook.com/me?fields=id,name,email", token);
      return { sub: idString(user.id), claims: { name: user.name, email: user.email ?? null } };
    },
    FACEBOOK_ISSUER,
  );
}

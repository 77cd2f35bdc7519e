import { Discord } from "arctic";
import type { UpstreamProvider } from "../upstream";
import { getJson, idString, oauthSocialProvider } from "./oauth-social";
import type { ProviderSettings } from "./settings";

export const DISCORD_ISSUER = "https://discord.com";

/** Discord: OAuth with PKCE, profile (and its `verified` email flag) from /users/@me. */
export function discordProvider(settings: ProviderSettings): UpstreamProvider {
  const client = new Discord(settings.clientId, settings.clientSecret, settings.redirectUri);
  const scopes = settings.scopes ?? ["identify", "email"];
  return oauthSocialProvider(
    {
      createAuthorizationURL: (request) => client.createAuthorizationURL(request.state, request.codeVerifier, scopes),
      validateAuthorizationCode: (code, verifier) => client.validateAuthorizationCode(code, verifier),
    },
    async (token) => {
      const user = await getJson("https://discord.com/api/users/@me", token);
      return {
        sub: idString(user.id),
        claims: {
          name: user.global_name ?? user.username,
          preferred_username: user.username,
          email: user.email ?? null,
          email_verified: user.verified === true,
          locale: user.locale,
        },
      };
    },
    DISCORD_ISSUER,
  );
}

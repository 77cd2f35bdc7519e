import { GitHub } from "arctic";
import type { UpstreamProvider } from "../upstream";
import { getJson, getJsonValue, idString, oauthSocialProvider } from "./oauth-social";
import type { ProviderSettings } from "./settings";

export const GITHUB_ISSUER = "https://github.com";

/** GitHub: OAuth only. The profile comes from /user, the verified primary address from /user/emails. */
export function githubProvider(settings: ProviderSettings): UpstreamProvider {
  const client = new GitHub(settings.clientId, settings.clientSecret ?? "", settings.redirectUri);
  const scopes = settings.scopes ?? ["read:user", "user:email"];
  return oauthSocialProvider(
    {
      createAuthorizationURL: (request) => client.createAuthorizationURL(request.state, scopes),
      validateAuthorizationCode: (code) => client.validateAuthorizationCode(code),
    },
    async (token) => {
      const user = await getJson("https://api.github.com/user", token);
      const emails = await getJsonArray("https://api.github.com/user/emails", token);
      const primary = emails.find((entry) => entry.primary === true) ?? emails.find((entry) => entry.verified === true);
      return {
        sub: idString(user.id),
        claims: {
          name: user.name ?? user.login,
          preferred_username: user.login,
          email: primary?.email ?? null,
          email_verified: primary?.verified === true,
        },
      };
    },
    GITHUB_ISSUER,
  );
}

async function getJsonArray(url: string, token: string): Promise<Record<string, unknown>[]> {
  const body = await getJsonValue(url, token);
  return Array.isArray(body) ? (body.filter((entry) => entry && typeof entry === "object") as Record<string, unknown>[]) : [];
}

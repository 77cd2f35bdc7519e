import * as oauth from "oauth4webapi";
import type { UpstreamProvider } from "../upstream";
import { oidcProvider } from "./oidc";
import type { ProviderSettings } from "./settings";

/** Google: OpenID Connect at a fixed issuer; ID tokens validated by oauth4webapi like any OIDC provider. */
export function googleProvider(settings: ProviderSettings): UpstreamProvider {
  return named(settings, "https://accounts.google.com");
}

/**
 * Microsoft Entra ID for one tenant (its directory id or domain). The multi-tenant `common` endpoint is
 * refused at configuration time: its ID tokens carry each tenant's own issuer, which cannot match.
 */
export function microsoftProvider(settings: ProviderSettings): UpstreamProvider {
  return named(settings, `https://login.microsoftonline.com/${encodeURIComponent(settings.settings.tenant ?? "")}/v2.0`);
}

/** GitLab.com (OpenID Connect). */
export function gitlabProvider(settings: ProviderSettings): UpstreamProvider {
  return named(settings, "https://gitlab.com");
}

/** LinkedIn ("Sign In with LinkedIn using OpenID Connect"); its token endpoint wants the secret in the body. */
export function linkedinProvider(settings: ProviderSettings): UpstreamProvider {
  const secret = settings.clientSecret ?? "";
  return named(settings, "https://www.linkedin.com/oauth", { clientAuth: async () => oauth.ClientSecretPost(secret) });
}

function named(settings: ProviderSettings, issuer: string, extra: Partial<Parameters<typeof oidcProvider>[0]> = {}): UpstreamProvider {
  return oidcProvider({
    issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scopes: settings.scopes ?? ["openid", "email", "profile"],
    allowHttp: false,
    ...extra,
  });
}

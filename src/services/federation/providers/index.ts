import type { IdentityProviderType } from "../../../storage/federation-schema";
import type { UpstreamProvider } from "../upstream";
import { appleProvider } from "./apple";
import { discordProvider } from "./discord";
import { facebookProvider } from "./facebook";
import { githubProvider } from "./github";
import { gitlabProvider, googleProvider, linkedinProvider, microsoftProvider } from "./named-oidc";
import { DEFAULT_OIDC_SCOPES, oidcProvider } from "./oidc";
import type { ProviderSettings } from "./settings";

/**
 * One small factory per provider type; nothing outside this folder knows which library (oauth4webapi or
 * arctic) talks to a provider, so any of them can be swapped without touching the login flow.
 */
const FACTORIES: Record<IdentityProviderType, (settings: ProviderSettings) => UpstreamProvider> = {
  oidc: (settings) =>
    oidcProvider({
      issuer: settings.issuer ?? "",
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      scopes: settings.scopes ?? DEFAULT_OIDC_SCOPES,
      allowHttp: settings.allowHttp,
    }),
  google: googleProvider,
  apple: appleProvider,
  microsoft: microsoftProvider,
  github: githubProvider,
  facebook: facebookProvider,
  linkedin: linkedinProvider,
  discord: discordProvider,
  gitlab: gitlabProvider,
};

export function upstreamProviderFor(type: IdentityProviderType, settings: ProviderSettings): UpstreamProvider {
  return FACTORIES[type](settings);
}

import type { IdentityProviderSettings } from "../../../storage/federation-schema";

/** A provider's configuration with its secrets decrypted, as the factories need it. */
export interface ProviderSettings {
  clientId: string;
  clientSecret: string | null;
  /** Null means the provider's default scopes. */
  scopes: string[] | null;
  redirectUri: string;
  /** `oidc` only. */
  issuer: string | null;
  /** Plain-http issuers (development only). */
  allowHttp: boolean;
  /** Apple: `team_id`, `key_id`; Entra: `tenant`, `allowed_tenants`. */
  settings: IdentityProviderSettings;
  /** Apple's PKCS#8 private key (PEM). */
  privateKey: string | null;
}

import type { Deps } from "../deps";
import type { Client } from "./client-model";
import { authenticateClient, clientAllowsGrant } from "./clients";
import { OAuthError } from "./oauth-error";
import { authorizationCodeGrant, clientCredentialsGrant, refreshTokenGrant } from "./token-grants";
import type { TokenResponse } from "./token-issuance";

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
} as const;

/** The token endpoint (RFC 6749 §3.2): authenticate the client, then run the one grant it asked for. */
export async function handleTokenRequest(
  deps: Deps,
  input: { authorization: string | undefined; form: Record<string, string>; tokenEndpoint: string; withinRateLimit?: (clientId: string) => Promise<boolean> },
): Promise<{ client: Client; response: TokenResponse }> {
  const grantType = input.form.grant_type;
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
  const client = await authenticateClient(deps, input);
  // Counted per authenticated client, so nobody can spend another client's quota with forged requests.
  if (input.withinRateLimit && !(await input.withinRateLimit(client.clientId))) {
    throw new OAuthError("slow_down", "too many token requests for this client", { status: 429, retryAfterSeconds: 10 });
  }
  if (!Object.hasOwn(GRANTS, grantType)) throw new OAuthError("unsupported_grant_type", `grant_type ${grantType} is not supported`);
  const grant = grantType as keyof typeof GRANTS;
  if (!clientAllowsGrant(client, grant)) throw new OAuthError("unauthorized_client", `the client may not use grant_type ${grant}`);
  return { client, response: await GRANTS[grant](deps, client, input.form) };
}

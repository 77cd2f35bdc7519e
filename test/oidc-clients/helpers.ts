import { expect } from "vitest";
import { admin } from "../admin/helpers";

export { admin, expectProblem } from "../admin/helpers";

/** A client on the wire, as the admin API and /register answer. */
export interface ClientJson {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: string;
  scope: string;
  first_party: boolean;
  backchannel_logout_uri?: string;
  backchannel_logout_session_required: boolean;
  jwks?: { keys: Record<string, unknown>[] };
  id_token_signed_response_alg: string;
  allowed_resources: string[];
  application_type: string;
  registration_access_token?: string;
  registration_client_uri?: string;
  [field: string]: unknown;
}

export const WEB_APP = {
  client_name: "Shop",
  redirect_uris: ["https://shop.example.com/callback"],
  grant_types: ["authorization_code", "refresh_token"],
  scope: "openid profile email offline_access",
};

/** Registers a client through the admin API (201 expected). */
export async function createClient(metadata: Record<string, unknown> = WEB_APP): Promise<ClientJson> {
  const response = await admin("/admin/v1/clients", { json: metadata });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return (await response.json()) as ClientJson;
}

/** `Basic` credentials per RFC 6749 §2.3.1 (each part form-urlencoded). */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${btoa(`${encode(clientId)}:${encode(secret)}`)}`;
}

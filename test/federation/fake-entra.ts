import { expect } from "vitest";
import { ENTRA_CONSUMERS_TENANT } from "../../src/services/federation/providers/named-oidc";
import { uniqueEmail } from "../helpers/outbox";
import { FakeUpstream } from "./fake-upstream";
import { Browser, callback, startLogin } from "./flow-helpers";
import { admin, uniqueProviderId } from "./helpers";

export const ENTRA = "https://login.microsoftonline.com";
export type Endpoint = "common" | "organizations" | "consumers";

/** The issuer Entra's discovery document names for a multi-tenant endpoint. */
export const templateOf = (endpoint: Endpoint) => (endpoint === "consumers" ? `${ENTRA}/${ENTRA_CONSUMERS_TENANT}/v2.0` : `${ENTRA}/{tenantid}/v2.0`);

/** ID-token claims of an account in directory `tid` (its own issuer, as Entra sends it). */
export const tenantClaims = (tid: string, sub = `s-${crypto.randomUUID()}`) => ({ sub, tid, iss: `${ENTRA}/${tid}/v2.0` });

export interface Entra {
  providerId: string;
  /** A login whose ID token carries `claims` (the test gives `iss` and `tid`), through `through` (default: this provider). */
  login(claims: Record<string, unknown>, through?: string): Promise<Response>;
  /** Adds another provider on the same endpoint (same client); returns its id. */
  addProvider(fields?: Record<string, unknown>): Promise<string>;
}

/**
 * A fake Entra multi-tenant endpoint for the length of `run` (one fake provider at a time: each intercepts
 * `fetch`). Its discovery document names `documentIssuer` (Entra's template by default) and, like Entra,
 * no RFC 9207 `iss` in the callback. `fields` are added to the provider's admin API body (`allowed_tenants`).
 */
export async function withEndpoint(
  endpoint: Endpoint,
  run: (entra: Entra) => Promise<void>,
  options: { documentIssuer?: string; fields?: Record<string, unknown> } = {},
): Promise<void> {
  const documentIssuer = options.documentIssuer ?? templateOf(endpoint);
  const fake = await new FakeUpstream("entra", { issuer: `${ENTRA}/${endpoint}/v2.0`, clientId: "social-client" }).start();
  const inner = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const response = await inner(input, init);
    if (url !== `${fake.issuer}/.well-known/openid-configuration` || !response.ok) return response;
    const document = (await response.json()) as Record<string, unknown>;
    delete document.authorization_response_iss_parameter_supported;
    return Response.json({ ...document, issuer: documentIssuer });
  };
  const addProvider = async (fields: Record<string, unknown> = {}) => {
    const id = uniqueProviderId("entra");
    const created = await admin("/admin/v1/identity-providers", {
      json: {
        id,
        type: "microsoft",
        display_name: "Microsoft",
        client_id: "social-client",
        client_secret: fake.clientSecret,
        tenant: endpoint,
        trust_email: true,
        ...fields,
      },
    });
    expect(created.status).toBe(201);
    return id;
  };
  try {
    const providerId = await addProvider(options.fields);
    await run({
      providerId,
      addProvider,
      async login(claims, through = providerId) {
        const browser = new Browser();
        const authorization = await startLogin(browser, through);
        expect(authorization.startsWith(`${ENTRA}/${endpoint}/v2.0/authorize?`)).toBe(true);
        const parameters = fake.consent(authorization, { email: uniqueEmail("entra"), email_verified: true, ...claims });
        parameters.delete("iss");
        return callback(browser, through, parameters);
      },
    });
  } finally {
    globalThis.fetch = inner;
    fake.stop();
  }
}

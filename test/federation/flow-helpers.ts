import { expect } from "vitest";
import { Browser } from "../helpers/http";
import type { FakeUpstream } from "./fake-upstream";
import { admin, uniqueProviderId } from "./helpers";

/** Registers the fake upstream as an `oidc` provider; returns its id. */
export async function registerUpstream(upstream: FakeUpstream, fields: Record<string, unknown> = {}): Promise<string> {
  const id = uniqueProviderId("op");
  const response = await admin("/admin/v1/identity-providers", {
    json: {
      id,
      type: "oidc",
      display_name: "Test IdP",
      client_id: upstream.clientId,
      client_secret: upstream.clientSecret,
      issuer: upstream.issuer,
      ...fields,
    },
  });
  expect(response.status).toBe(201);
  return id;
}

/** Clicks "Continue with …": returns the authorization URL the browser is sent to. */
export async function startLogin(browser: Browser, providerId: string, returnTo?: string): Promise<string> {
  const response = await browser.post(`/federation/${providerId}/start`, returnTo ? { return_to: returnTo } : {});
  expect(response.status).toBe(303);
  const location = response.headers.get("location") ?? "";
  expect(location).not.toBe("");
  return location;
}

/** The provider redirects back with `parameters`. */
export function callback(browser: Browser, providerId: string, parameters: URLSearchParams): Promise<Response> {
  return browser.get(`/login/${providerId}/callback?${parameters}`);
}

/** A whole federated login: start, consent with `claims`, callback. */
export async function federatedLogin(browser: Browser, upstream: FakeUpstream, providerId: string, claims: Record<string, unknown>): Promise<Response> {
  const authorization = await startLogin(browser, providerId);
  return callback(browser, providerId, upstream.consent(authorization, claims));
}

export { Browser };

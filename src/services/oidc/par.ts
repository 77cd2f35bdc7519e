import { sha256Hex } from "../../lib/hashing";
import { randomToken } from "../../lib/random";
import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import type { Deps } from "../deps";
import { PAR_PREFIX, parseAuthorizationRequest, UntrustedRedirectError } from "./authorization-request";
import type { Client } from "./client-model";
import { OAuthError } from "./oauth-error";

/** Pushed requests live 60 seconds (RFC 9126 §2.2 suggests 5–600). */
export const PAR_LIFETIME_SECONDS = 60;

/**
 * RFC 9126: validates the request exactly as /authorize would (errors come back as JSON, not as a
 * redirect), stores it, and returns a single-use `request_uri`.
 */
export async function pushAuthorizationRequest(deps: Deps, client: Client, form: Record<string, string>): Promise<{ request_uri: string; expires_in: number }> {
  if (form.request_uri !== undefined) throw new OAuthError("invalid_request", "request_uri must not be pushed");
  const { client_id: _id, client_secret: _secret, client_assertion: _assertion, client_assertion_type: _type, ...params } = form;
  let parsed: Awaited<ReturnType<typeof parseAuthorizationRequest>>;
  try {
    parsed = await parseAuthorizationRequest(deps, new URLSearchParams({ ...params, client_id: client.clientId }));
  } catch (error) {
    if (error instanceof UntrustedRedirectError) throw new OAuthError("invalid_request", error.description);
    throw error;
  }
  if ("error" in parsed) throw parsed.error;
  const id = randomToken(32);
  const now = deps.clock();
  await oauthGrantsStore(deps.db)
    .insertPushedStatement({
      requestUriHash: await sha256Hex(id),
      clientId: client.clientId,
      params: { ...params, client_id: client.clientId },
      expiresAt: now + PAR_LIFETIME_SECONDS * 1000,
    })
    .run();
  return { request_uri: `${PAR_PREFIX}${id}`, expires_in: PAR_LIFETIME_SECONDS };
}

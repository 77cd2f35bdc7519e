import { ArcticFetchError, OAuth2RequestError, type OAuth2Tokens } from "arctic";
import {
  type AuthorizationRequest,
  type CallbackInput,
  UPSTREAM_TIMEOUT_MS,
  UpstreamError,
  type UpstreamProfile,
  type UpstreamProvider,
  upstreamFetch,
} from "../upstream";

/** The two things arctic does for an OAuth-only provider (no ID token): the authorization URL and the code exchange. */
export interface ArcticClient {
  createAuthorizationURL(request: AuthorizationRequest): URL;
  validateAuthorizationCode(code: string, codeVerifier: string): Promise<OAuth2Tokens>;
}

/**
 * A social provider that speaks plain OAuth 2.0 (GitHub, Facebook, Discord): arctic builds the request and
 * redeems the code; the identity comes from the provider's user-info API (`fetchProfile`), keyed by the
 * provider's fixed `iss` and its stable numeric user id as `sub`.
 */
export function oauthSocialProvider(
  arctic: ArcticClient,
  fetchProfile: (accessToken: string) => Promise<Omit<UpstreamProfile, "iss">>,
  iss: string,
): UpstreamProvider {
  return {
    async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
      return arctic.createAuthorizationURL(request);
    },
    async completeCallback(callback: CallbackInput): Promise<UpstreamProfile> {
      const error = callback.parameters.get("error");
      if (error) throw new UpstreamError(error === "access_denied" ? "denied" : "rejected", `authorization error: ${error}`);
      if (callback.parameters.get("state") !== callback.state) throw new UpstreamError("rejected", "state mismatch");
      const code = callback.parameters.get("code");
      if (!code) throw new UpstreamError("rejected", "the callback carries no code");
      const tokens = await withDeadline(arctic.validateAuthorizationCode(code, callback.codeVerifier));
      const profile = await fetchProfile(tokens.accessToken());
      if (!profile.sub) throw new UpstreamError("rejected", "the provider returned no user id");
      return { iss, ...profile };
    },
  };
}

/** arctic calls the global fetch without a signal: bound the wait here, and translate its errors. */
async function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamError("unavailable", "the provider did not answer in time")), UPSTREAM_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    if (error instanceof OAuth2RequestError) throw new UpstreamError("rejected", `token endpoint error: ${error.code}`, { cause: error });
    if (error instanceof ArcticFetchError) throw new UpstreamError("unavailable", "the provider could not be reached", { cause: error });
    throw new UpstreamError("unavailable", "unexpected answer from the provider", { cause: error });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** GET a JSON user-info resource with the access token; anything but a 2xx JSON answer is `unavailable`. */
export async function getJsonValue(url: string, accessToken: string): Promise<unknown> {
  const response = await upstreamFetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": "Gatehouse" } });
  if (!response.ok) throw new UpstreamError("unavailable", `user info answered ${response.status}`);
  const body: unknown = await response.json().catch(() => undefined);
  if (body === undefined) throw new UpstreamError("unavailable", "user info is not JSON");
  return body;
}

/** Like `getJsonValue`, for a JSON object. */
export async function getJson(url: string, accessToken: string): Promise<Record<string, unknown>> {
  const body = await getJsonValue(url, accessToken);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new UpstreamError("unavailable", "user info is not a JSON object");
  return body as Record<string, unknown>;
}

export const idString = (value: unknown): string =>
  typeof value === "number" && Number.isSafeInteger(value) ? String(value) : typeof value === "string" ? value : "";

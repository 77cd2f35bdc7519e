import { basicAuth, pkcePair, type TestClient } from "./clients";
import { Browser } from "./http";

/**
 * `/authorize?…` for `client` with a fresh PKCE pair (S256): `scope=openid`, `state=s`, `nonce=n` unless
 * `extra` overrides them; an `undefined` value leaves that parameter out.
 */
export async function authorizeUrl(client: TestClient, extra: Record<string, string | undefined> = {}): Promise<{ url: string; verifier: string }> {
  const { verifier, challenge } = await pkcePair();
  const fields: Record<string, string | undefined> = {
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid",
    state: "s",
    nonce: "n",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  };
  const params = new URLSearchParams(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { url: `/authorize?${params}`, verifier };
}

/** An authorization request of `client`, paused at the login: the `return_to` our login pages carry. */
export async function pausedAuthorization(browser: Browser, client: TestClient, extra: Record<string, string | undefined> = {}) {
  const { url, verifier } = await authorizeUrl(client, extra);
  const location = (await browser.get(url)).headers.get("location") ?? "";
  return { returnTo: new URL(location, "http://x").searchParams.get("return_to") ?? "", verifier };
}

/** Follows same-site redirects until one leaves for the app (or a page renders). */
export async function follow(browser: Browser, response: Response): Promise<Response> {
  let current = response;
  for (let hops = 0; hops < 8 && current.status === 303; hops++) {
    const location = current.headers.get("location") ?? "";
    if (!location.startsWith("/")) return current;
    current = await browser.get(location);
  }
  return current;
}

/** Redeems an authorization code at `/token` (client_secret_basic) and returns the ID token's claims. */
export async function idTokenClaims(client: TestClient, code: string, verifier: string): Promise<Record<string, unknown>> {
  const response = await new Browser().fetch("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  const body = (await response.json()) as { id_token: string };
  return JSON.parse(atob((body.id_token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/")));
}

import { env } from "cloudflare:workers";
import { sha256Hex } from "../../src/lib/hashing";
import { randomToken } from "../../src/lib/random";

export interface TestClient {
  clientId: string;
  secret: string;
  redirectUri: string;
}

/** Registers a client straight in D1 (the admin API has its own tests); wire-named metadata as the admin API stores it. */
export async function createTestClient(metadata: Record<string, unknown> = {}): Promise<TestClient> {
  const clientId = randomToken(16);
  const secret = randomToken(32);
  const redirectUri = `https://app-${clientId.slice(0, 6).toLowerCase()}.example/callback`;
  const now = Date.now();
  const full = {
    client_name: "Test App",
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [`${redirectUri.replace("/callback", "/bye")}`],
    grant_types: ["authorization_code", "refresh_token", "client_credentials"],
    token_endpoint_auth_method: "client_secret_basic",
    scope: "openid profile email offline_access api:read",
    first_party: true,
    id_token_signed_response_alg: "RS256",
    ...metadata,
  };
  await env.DB.prepare("INSERT INTO clients (client_id, secret_hash, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
    .bind(clientId, await sha256Hex(secret), JSON.stringify(full), now, now)
    .run();
  return { clientId, secret, redirectUri };
}

export function basicAuth(client: TestClient): string {
  return `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`)}`;
}

/** A PKCE pair (RFC 7636, S256). */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const challenge = btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return { verifier, challenge };
}

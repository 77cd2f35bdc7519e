import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Who can sign in at the upstream provider: the login name typed on its form is the `sub`. */
export interface UpstreamAccount {
  email: string;
  email_verified: boolean;
  name?: string;
  /** More `profile`-scope claims, released at UserInfo when present: `given_name`, `birthdate`, a nested `custom` object. */
  given_name?: string;
  birthdate?: string;
  custom?: Record<string, unknown>;
}

export interface UpstreamOp {
  /** `http://127.0.0.1:<port>` (plain http: the worker runs with ENVIRONMENT=development in e2e). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Makes `sub` a known account at the provider. */
  addAccount(sub: string, account: UpstreamAccount): void;
  stop(): Promise<void>;
}

interface OidcProviderInstance {
  callback(): (request: unknown, response: unknown) => void;
  proxy: boolean;
}
type OidcProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProviderInstance;

/**
 * panva's `oidc-provider` as the upstream identity provider, on a free loopback port, with its development
 * login and consent pages (any password; the login name picks the account). Registered for the given
 * redirect URIs with `client_secret_basic`, PKCE required, ES256 ID tokens.
 */
export async function startUpstreamOp(redirectUris: string[]): Promise<UpstreamOp> {
  const moduleName = "oidc-provider";
  const { default: Provider } = (await import(moduleName)) as { default: OidcProviderClass };
  const accounts = new Map<string, UpstreamAccount>();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "gatehouse-e2e";
  const clientSecret = `upstream-secret-${crypto.randomUUID()}`;
  const { generateKeyPair, exportJWK } = await import("jose");
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
        id_token_signed_response_alg: "ES256",
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "upstream-es256", alg: "ES256", use: "sig" }] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "birthdate", "custom"] },
    scopes: ["openid", "email", "profile"],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [crypto.randomUUID()] },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    addAccount: (sub, account) => accounts.set(sub, account),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

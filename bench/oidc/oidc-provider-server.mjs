// The peer: panva's oidc-provider on Node, configured like Gatehouse for the benchmarked paths.
// - one confidential client (client_secret_basic) allowed the client_credentials grant and scope `api:read`;
// - access tokens are RFC 9068 JWTs signed ES256 (through a resource server, which is how oidc-provider
//   issues JWT access tokens; the default resource is used when the request names none, as Gatehouse does);
// - the same published keys as Gatehouse: an active and a next key for each of ES256, EdDSA and RS256;
// - memory adapter (JWT access tokens are not stored), production mode, no proxy.
// Run as a child of bench/oidc.mjs: it reads its settings from BENCH_OIDC_PROVIDER (JSON) and prints one line
// `{"ready":true}` once it listens.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import Provider from "oidc-provider";

const { port, clientId, clientSecret } = JSON.parse(process.env.BENCH_OIDC_PROVIDER ?? "{}");
const issuer = `http://127.0.0.1:${port}`;
const RESOURCE = `${issuer}/api`;

function privateJwk(alg) {
  const { privateKey } =
    alg === "ES256"
      ? generateKeyPairSync("ec", { namedCurve: "P-256" })
      : alg === "EdDSA"
        ? generateKeyPairSync("ed25519")
        : generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), alg, use: "sig" };
}

// Order decides which key signs: the first ES256 key, like Gatehouse's active key.
const keys = ["ES256", "ES256", "EdDSA", "EdDSA", "RS256", "RS256"].map((alg, i) => ({
  ...privateJwk(alg),
  kid: `${alg.toLowerCase()}-${i % 2 ? "next" : "active"}`,
}));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
      scope: "api:read",
    },
  ],
  jwks: { keys },
  scopes: ["openid", "offline_access", "api:read"],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "api:read",
        audience: RESOURCE,
        accessTokenTTL: 600,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "ES256" } },
      }),
    },
  },
});
provider.proxy = false;

const server = createServer(provider.callback());
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(JSON.stringify({ ready: true, issuer })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));

import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/hashing";
import type { Client } from "../../src/services/oidc/client-model";
import { authenticateClient, CLIENT_CACHE_TTL_MS, findClient, invalidateClient } from "../../src/services/oidc/clients";
import { OAuthError } from "../../src/services/oidc/oauth-error";
import { testDeps } from "../helpers/deps";
import { admin, basic, createClient, WEB_APP } from "./helpers";

const ISSUER = "http://localhost:8787";
const TOKEN_ENDPOINT = `${ISSUER}/token`;
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

type Credentials = { authorization?: string; form?: Record<string, string> };

function authenticate(credentials: Credentials, deps = testDeps()): Promise<Client> {
  return authenticateClient(deps, { authorization: credentials.authorization, form: credentials.form ?? {}, tokenEndpoint: TOKEN_ENDPOINT });
}

/** Asserts the RFC 6749 §5.2 failure: the same code, description and challenge whatever went wrong. */
async function expectInvalidClient(credentials: Credentials, deps = testDeps()): Promise<OAuthError> {
  const error = await authenticate(credentials, deps).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OAuthError);
  const oauth = error as OAuthError;
  expect({ code: oauth.code, status: oauth.status, description: oauth.description, challenge: oauth.options.wwwAuthenticate }).toEqual({
    code: "invalid_client",
    status: 401,
    description: "client authentication failed",
    challenge: 'Basic realm="gatehouse"',
  });
  return oauth;
}

async function keyClient(extra: Record<string, unknown> = {}) {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
  const client = await createClient({ ...WEB_APP, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [jwk] }, ...extra });
  return { client, privateKey, publicJwk: jwk };
}

function assertion(clientId: string, key: CryptoKey, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: TOKEN_ENDPOINT, jti: crypto.randomUUID(), iat: now, exp: now + 60, ...claims })
    .setProtectedHeader({ alg: "ES256", kid: "k1", ...header })
    .sign(key);
}

const jwtForm = (clientAssertion: string, extra: Record<string, string> = {}) => ({
  form: { client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion, grant_type: "client_credentials", ...extra },
});

describe("client secrets", () => {
  it("are at least 256 random bits, shown once, and stored only as a SHA-256 hash", async () => {
    const client = await createClient();
    const secret = client.client_secret ?? "";
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.client_id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(client.client_secret_expires_at).toBe(0);
    const row = await env.DB.prepare("SELECT * FROM clients WHERE client_id = ?").bind(client.client_id).first<Record<string, unknown>>();
    expect(row?.secret_hash).toBe(await sha256Hex(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const read = (await (await admin(`/admin/v1/clients/${client.client_id}`)).json()) as Record<string, unknown>;
    expect(read.client_secret).toBeUndefined();
    expect(JSON.stringify(read)).not.toContain(secret);
  });
});

describe("client_secret_basic (RFC 6749 §2.3.1)", () => {
  it("authenticates with the right secret", async () => {
    const client = await createClient();
    const authenticated = await authenticate({ authorization: basic(client.client_id, client.client_secret ?? "") });
    expect(authenticated).toMatchObject({ clientId: client.client_id, tokenEndpointAuthMethod: "client_secret_basic", grantTypes: WEB_APP.grant_types });
  });

  it("accepts the scheme in any case and client_id repeated in the form", async () => {
    const client = await createClient();
    const header = basic(client.client_id, client.client_secret ?? "").replace("Basic", "bASIC");
    await authenticate({ authorization: header, form: { client_id: client.client_id } });
  });

  it("form-decodes id and secret (an encoded secret matches, the raw Base64 of a different secret does not)", async () => {
    const client = await createClient();
    const secret = client.client_secret ?? "";
    const encoded = `Basic ${btoa(`${client.client_id}:${secret.replace(/-/g, "%2D")}`)}`;
    await authenticate({ authorization: encoded });
    await expectInvalidClient({ authorization: `Basic ${btoa(`${client.client_id}:${secret}%`)}` });
  });

  it("refuses a wrong secret, an unknown client, a missing colon, bad Base64 and a client_id mismatch alike", async () => {
    const client = await createClient();
    const secret = client.client_secret ?? "";
    await expectInvalidClient({ authorization: basic(client.client_id, `${secret}x`) });
    await expectInvalidClient({ authorization: basic(client.client_id, secret.slice(0, -1)) });
    await expectInvalidClient({ authorization: basic(client.client_id, "") });
    await expectInvalidClient({ authorization: basic("unknown-client-id-0000", secret) });
    await expectInvalidClient({ authorization: `Basic ${btoa(`${client.client_id}${secret}`)}` });
    await expectInvalidClient({ authorization: "Basic %%%" });
    // A length no base64 has, padding in the middle, and bytes that are not UTF-8.
    await expectInvalidClient({ authorization: `Basic ${btoa(`${client.client_id}:${secret}`)}A` });
    await expectInvalidClient({ authorization: "Basic QQ==QQ==" });
    await expectInvalidClient({ authorization: `Basic ${btoa(`\xff\xfe:${secret}`)}` });
    await expectInvalidClient({ authorization: `Bearer ${secret}` });
    await expectInvalidClient({ authorization: basic(client.client_id, secret), form: { client_id: "someone-else" } });
  });

  it("refuses the right secret sent with the wrong method (client_secret_post)", async () => {
    const client = await createClient();
    await expectInvalidClient({ form: { client_id: client.client_id, client_secret: client.client_secret ?? "" } });
  });
});

describe("client_secret_post", () => {
  it("authenticates only a client registered for it", async () => {
    const client = await createClient({ ...WEB_APP, token_endpoint_auth_method: "client_secret_post" });
    const secret = client.client_secret ?? "";
    await authenticate({ form: { client_id: client.client_id, client_secret: secret } });
    await expectInvalidClient({ form: { client_id: client.client_id, client_secret: `${secret}x` } });
    await expectInvalidClient({ form: { client_id: client.client_id, client_secret: "" } });
    await expectInvalidClient({ authorization: basic(client.client_id, secret) });
  });
});

describe("none (public clients)", () => {
  it("identifies a public client by client_id alone", async () => {
    const client = await createClient({ ...WEB_APP, token_endpoint_auth_method: "none" });
    expect(client.client_secret).toBeUndefined();
    expect(client.client_secret_expires_at).toBeUndefined();
    expect((await authenticate({ form: { client_id: client.client_id } })).tokenEndpointAuthMethod).toBe("none");
  });

  it("refuses a confidential client that leaves out its secret, an unknown id, and no client at all", async () => {
    const confidential = await createClient();
    await expectInvalidClient({ form: { client_id: confidential.client_id } });
    await expectInvalidClient({ form: { client_id: "no-such-client" } });
    await expectInvalidClient({ form: { client_id: "bad id with spaces" } });
    await expectInvalidClient({ form: {} });
  });

  it("refuses a secret sent for a public client", async () => {
    const client = await createClient({ ...WEB_APP, token_endpoint_auth_method: "none" });
    await expectInvalidClient({ form: { client_id: client.client_id, client_secret: "anything" } });
    await expectInvalidClient({ authorization: basic(client.client_id, "") });
  });
});

describe("exactly one method (RFC 6749 §2.3)", () => {
  it("refuses Basic together with client_secret in the form, or with an assertion, as invalid_request", async () => {
    const client = await createClient();
    const secret = client.client_secret ?? "";
    for (const credentials of <Credentials[]>[
      { authorization: basic(client.client_id, secret), form: { client_secret: secret } },
      { authorization: basic(client.client_id, secret), form: { client_assertion_type: ASSERTION_TYPE, client_assertion: "x.y.z" } },
      { form: { client_id: client.client_id, client_secret: secret, client_assertion_type: ASSERTION_TYPE, client_assertion: "x.y.z" } },
    ]) {
      await expect(authenticate(credentials)).rejects.toMatchObject({ code: "invalid_request", status: 400 });
    }
  });
});

describe("private_key_jwt (RFC 7523, OIDC Core §9)", () => {
  it("authenticates a fresh assertion with aud = token endpoint or issuer, with or without client_id", async () => {
    const { client, privateKey } = await keyClient();
    expect((await authenticate(jwtForm(await assertion(client.client_id, privateKey)))).clientId).toBe(client.client_id);
    await authenticate(jwtForm(await assertion(client.client_id, privateKey, { aud: ISSUER }), { client_id: client.client_id }));
    await authenticate(jwtForm(await assertion(client.client_id, privateKey, { aud: ["https://other.example", TOKEN_ENDPOINT] })));
  });

  it("refuses a replayed jti, even a second later", async () => {
    const { client, privateKey } = await keyClient();
    const once = await assertion(client.client_id, privateKey);
    await authenticate(jwtForm(once));
    const replay = await expectInvalidClient(jwtForm(once));
    expect(replay.options.internal).toBe("replayed jti");
    const sameJti = await assertion(client.client_id, privateKey, { jti: "fixed-jti" });
    await authenticate(jwtForm(sameJti));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { jti: "fixed-jti" })));
  });

  it("lets two clients use the same jti value", async () => {
    const first = await keyClient();
    const second = await keyClient();
    await authenticate(jwtForm(await assertion(first.client.client_id, first.privateKey, { jti: "shared" })));
    await authenticate(jwtForm(await assertion(second.client.client_id, second.privateKey, { jti: "shared" })));
  });

  it("refuses an expired assertion, one without exp, one valid for more than five minutes, and one without jti", async () => {
    const { client, privateKey } = await keyClient();
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { iat: now - 600, exp: now - 120 })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { exp: undefined })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { exp: now + 3600 })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { jti: undefined })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { nbf: now + 600 })));
  });

  it("refuses a wrong audience, issuer or subject", async () => {
    const { client, privateKey } = await keyClient();
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { aud: "https://evil.example/token" })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { aud: `${TOKEN_ENDPOINT}/` })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { iss: "someone-else" })));
    const other = await keyClient();
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey, { sub: other.client.client_id })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, privateKey), { client_id: other.client.client_id }));
  });

  it('refuses alg "none" and an HS256 assertion keyed with the client\'s public key', async () => {
    const { client, publicJwk } = await keyClient();
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: client.client_id, sub: client.client_id, aud: TOKEN_ENDPOINT, jti: crypto.randomUUID(), exp: now + 60 };
    await expectInvalidClient(jwtForm(new UnsecuredJWT(claims).encode()));
    for (const secret of [JSON.stringify(publicJwk), publicJwk.x as string]) {
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(new TextEncoder().encode(secret));
      await expectInvalidClient(jwtForm(forged));
    }
  });

  it("refuses a key the client did not register, and never fetches jku or an embedded jwk", async () => {
    const { client } = await keyClient();
    const stranger = await generateKeyPair("ES256", { extractable: true });
    const strangerJwk = await exportJWK(stranger.publicKey);
    await expectInvalidClient(jwtForm(await assertion(client.client_id, stranger.privateKey)));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, stranger.privateKey, {}, { kid: undefined, jwk: strangerJwk })));
    await expectInvalidClient(jwtForm(await assertion(client.client_id, stranger.privateKey, {}, { jku: "https://evil.example/jwks" })));
  });

  it("refuses a client registered for another method, a wrong assertion type, and garbage", async () => {
    const secretClient = await createClient();
    const { privateKey } = await keyClient();
    await expectInvalidClient(jwtForm(await assertion(secretClient.client_id, privateKey)));
    const { client, privateKey: key } = await keyClient();
    const good = await assertion(client.client_id, key);
    await expectInvalidClient({ form: { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer", client_assertion: good } });
    await expectInvalidClient({ form: { client_assertion: good } });
    await expectInvalidClient(jwtForm("not-a-jwt"));
    await expectInvalidClient({ form: { client_assertion_type: ASSERTION_TYPE } });
  });

  it("honours token_endpoint_auth_signing_alg", async () => {
    const rsa = await generateKeyPair("PS256", { extractable: true });
    const ec = await generateKeyPair("ES256", { extractable: true });
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: "rsa" },
      { ...(await exportJWK(ec.publicKey)), kid: "ec" },
    ];
    const client = await createClient({ ...WEB_APP, token_endpoint_auth_method: "private_key_jwt", jwks: { keys }, token_endpoint_auth_signing_alg: "PS256" });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: client.client_id, sub: client.client_id, aud: TOKEN_ENDPOINT, exp: now + 60 };
    const ps256 = await new SignJWT({ ...claims, jti: crypto.randomUUID() }).setProtectedHeader({ alg: "PS256", kid: "rsa" }).sign(rsa.privateKey);
    await authenticate(jwtForm(ps256));
    const es256 = await new SignJWT({ ...claims, jti: crypto.randomUUID() }).setProtectedHeader({ alg: "ES256", kid: "ec" }).sign(ec.privateKey);
    await expectInvalidClient(jwtForm(es256));
  });
});

describe("the client cache", () => {
  it("serves a client without reading D1 within the TTL, and reads again after it", async () => {
    const client = await createClient();
    let now = Date.now();
    const deps = testDeps({ clock: () => now });
    expect((await findClient(deps, client.client_id))?.clientId).toBe(client.client_id);
    // Gone from D1 behind the cache's back (as if deleted in another isolate).
    await env.DB.prepare("DELETE FROM clients WHERE client_id = ?").bind(client.client_id).run();
    expect((await findClient(deps, client.client_id))?.clientId).toBe(client.client_id);
    now += CLIENT_CACHE_TTL_MS + 1;
    expect(await findClient(deps, client.client_id)).toBeNull();
  });

  it("after the TTL one request re-reads while the others keep the stale copy, and past the grace everyone reads", async () => {
    const client = await createClient();
    let now = Date.now();
    const deps = testDeps({ clock: () => now });
    await findClient(deps, client.client_id);
    await env.DB.prepare("DELETE FROM clients WHERE client_id = ?").bind(client.client_id).run();
    now += CLIENT_CACHE_TTL_MS + 1;
    // The first request marks the entry as being refreshed before it reads; the second, arriving meanwhile, is served the stale copy.
    const [refreshed, stale] = await Promise.all([findClient(deps, client.client_id), findClient(deps, client.client_id)]);
    expect(refreshed).toBeNull();
    expect(stale?.clientId).toBe(client.client_id);
  });

  it("returns frozen clients, so no caller can change the shared copy", async () => {
    const client = await createClient();
    const found = await findClient(testDeps(), client.client_id);
    expect(Object.isFrozen(found)).toBe(true);
    expect(Object.isFrozen(found?.redirectUris)).toBe(true);
  });

  it("invalidateClient forgets the copy at once", async () => {
    const client = await createClient();
    const deps = testDeps();
    await findClient(deps, client.client_id);
    await env.DB.prepare("DELETE FROM clients WHERE client_id = ?").bind(client.client_id).run();
    invalidateClient(client.client_id);
    expect(await findClient(deps, client.client_id)).toBeNull();
  });

  it("a secret rotated in another isolate works at once here (a failed check reads D1 again)", async () => {
    const client = await createClient();
    const deps = testDeps();
    await authenticate({ authorization: basic(client.client_id, client.client_secret ?? "") }, deps);
    const fresh = "rotated-elsewhere-secret-0123456789abcdefghij";
    await env.DB.prepare("UPDATE clients SET secret_hash = ? WHERE client_id = ?")
      .bind(await sha256Hex(fresh), client.client_id)
      .run();
    await authenticate({ authorization: basic(client.client_id, fresh) }, deps);
    await expectInvalidClient({ authorization: basic(client.client_id, client.client_secret ?? "") }, deps);
  });

  it("maps stored rows to the Client model, with defaults for rows written without them", async () => {
    const client = await createClient({
      ...WEB_APP,
      post_logout_redirect_uris: ["https://shop.example.com/"],
      first_party: true,
      backchannel_logout_uri: "https://shop.example.com/bcl",
      backchannel_logout_session_required: true,
      id_token_signed_response_alg: "ES256",
      allowed_resources: ["https://api.example.com"],
    });
    const found = await findClient(testDeps(), client.client_id);
    expect(found).toEqual({
      clientId: client.client_id,
      clientName: "Shop",
      redirectUris: ["https://shop.example.com/callback"],
      postLogoutRedirectUris: ["https://shop.example.com/"],
      grantTypes: ["authorization_code", "refresh_token"],
      tokenEndpointAuthMethod: "client_secret_basic",
      scopes: ["openid", "profile", "email", "offline_access"],
      firstParty: true,
      mfaPolicy: null,
      riskPolicy: null,
      requireVerified: [],
      backchannelLogoutUri: "https://shop.example.com/bcl",
      backchannelLogoutSessionRequired: true,
      jwks: null,
      idTokenSignedResponseAlg: "ES256",
      secretHash: await sha256Hex(client.client_secret ?? ""),
      allowedResources: ["https://api.example.com"],
      applicationType: "web",
    });
  });
});

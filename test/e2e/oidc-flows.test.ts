import { exportJWK, generateKeyPair, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, openBrowser } from "./support/browser";
import { baseUrl, connectUrl } from "./support/http-client";
import {
  atHash,
  callbackInput,
  codeRequest,
  createUser,
  discover,
  type Exchange,
  loopbackFetch,
  pkceChecks,
  receiverForSuite,
  registerClient,
  verifyWithJose,
  walkInBrowser,
} from "./support/oidc-rp";

/**
 * The flows of our OpenID Provider driven by relying-party libraries nobody here wrote: openid-client
 * (v6) for the protocol, oauth4webapi and jose for strict, independent validation, Chromium for the
 * parts a person does (log in, consent). Suites are named after the spec section they prove.
 */

const rp = receiverForSuite();
let chromium: BrowserSession;

beforeAll(async () => {
  chromium = await openBrowser();
});
afterAll(async () => {
  await chromium?.close();
});

/** The file's one Chromium (starting one takes seconds), with no cookies: a visitor without a session. */
async function freshBrowser(): Promise<BrowserSession> {
  await chromium.context.clearCookies();
  return chromium;
}

/** A confidential first-party web app (client_secret_basic) with refresh tokens. */
async function webApp(extra: Record<string, unknown> = {}) {
  const client = await registerClient({
    redirect_uris: [rp.redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    scope: "openid profile email offline_access",
    first_party: true,
    ...extra,
  });
  const log: Exchange[] = [];
  const config = await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret), log);
  return { client, config, log };
}

/** Logs a fresh user in through Chromium and runs the code flow to the tokens. */
async function signIn(config: oidc.Configuration, scope = "openid email profile offline_access") {
  const user = await createUser("oidc-flow");
  const browser = await freshBrowser();
  const checks = await pkceChecks();
  const url = oidc.buildAuthorizationUrl(config, codeRequest(rp.redirectUri, checks, scope));
  const { callback } = await walkInBrowser(browser.page, url, rp.receiver, { account: user });
  const tokens = await oidc.authorizationCodeGrant(config, callbackInput(rp.receiver, callback), {
    pkceCodeVerifier: checks.verifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  return { user, tokens };
}

describe("OIDC Core §3.1 authorization code flow, RFC 7636 PKCE, RFC 9207 iss (openid-client + Chromium)", () => {
  it("logs in, asks a third-party app's consent, and redeems the code with state, nonce, PKCE and iss checked", async () => {
    const client = await registerClient({
      client_name: "Third-party printing",
      redirect_uris: [rp.redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid profile email offline_access",
    });
    const log: Exchange[] = [];
    const config = await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret), log);
    expect(config.serverMetadata().issuer).toBe(baseUrl());
    const user = await createUser("oidc-consent");
    const browser = await freshBrowser();
    const checks = await pkceChecks();
    const url = oidc.buildAuthorizationUrl(config, codeRequest(rp.redirectUri, checks, "openid email offline_access"));
    const { callback, shown } = await walkInBrowser(browser.page, url, rp.receiver, { account: user, consent: "Allow" });
    expect(shown).toEqual(["/login", "/consent"]);
    expect(callback.method).toBe("GET");
    expect(callback.url.searchParams.get("iss")).toBe(baseUrl());
    expect(callback.url.searchParams.get("state")).toBe(checks.state);

    const tokens = await oidc.authorizationCodeGrant(config, callbackInput(rp.receiver, callback), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope?.split(" ").sort()).toEqual(["email", "offline_access", "openid"]);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: baseUrl(), aud: client.client_id, sub: user.id, email: user.email, email_verified: true, nonce: checks.nonce });

    // RFC 6749 §5.1: token responses are not cached.
    const token = log.find((exchange) => exchange.url.endsWith("/token"));
    expect(token?.headers.get("cache-control")).toBe("no-store");
    expect(token?.headers.get("pragma")).toBe("no-cache");

    // The ID token once more with jose alone (OIDC Core §3.1.3.7).
    const idToken = await verifyWithJose(tokens.id_token ?? "", { audience: client.client_id });
    expect(idToken.protectedHeader.alg).toBe("RS256");
    expect(idToken.payload).toMatchObject({ azp: client.client_id, acr: "urn:gatehouse:loa:1", amr: ["pwd"], at_hash: atHash(tokens.access_token) });
    expect(typeof idToken.payload.auth_time).toBe("number");
    expect(typeof idToken.payload.sid).toBe("string");
    expect(idToken.payload.exp).toBeGreaterThan(Math.floor(Date.now() / 1000));

    // Remembered consent: the next request skips both pages.
    const again = await pkceChecks();
    const second = await walkInBrowser(browser.page, oidc.buildAuthorizationUrl(config, codeRequest(rp.redirectUri, again, "openid email")), rp.receiver);
    expect(second.shown).toEqual([]);
    expect(second.callback.url.searchParams.get("code")).toBeTruthy();
  });

  it("answers the consent page's Deny with access_denied at the redirect URI (RFC 6749 §4.1.2.1)", async () => {
    const client = await registerClient({ redirect_uris: [rp.redirectUri], scope: "openid email" });
    const config = await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret));
    const browser = await freshBrowser();
    const checks = await pkceChecks();
    const url = oidc.buildAuthorizationUrl(config, codeRequest(rp.redirectUri, checks, "openid email"));
    const { callback } = await walkInBrowser(browser.page, url, rp.receiver, { account: await createUser("oidc-deny"), consent: "Deny" });
    const error = await oidc
      .authorizationCodeGrant(config, callbackInput(rp.receiver, callback), { pkceCodeVerifier: checks.verifier, expectedState: checks.state })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(oidc.AuthorizationResponseError);
    expect((error as oidc.AuthorizationResponseError).error).toBe("access_denied");
  });
});

describe("OIDC Core §5.3 UserInfo", () => {
  it("returns the claims of the granted scopes for the access token's subject", async () => {
    const { config } = await webApp();
    const { user, tokens } = await signIn(config, "openid email");
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub ?? "");
    expect(info).toMatchObject({ sub: user.id, email: user.email, email_verified: true });
    expect(info.name).toBeUndefined();
  });
});

describe("RFC 6749 §6 refresh with rotation (RFC 9700 §4.14.2)", () => {
  it("rotates on every use, gives a sibling on an immediate retry, and revokes the family when an old token comes back later", async () => {
    const { config, log } = await webApp();
    const { tokens } = await signIn(config);
    const first = tokens.refresh_token ?? "";
    const second = await oidc.refreshTokenGrant(config, first);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first);
    expect(second.claims()?.sub).toBe(tokens.claims()?.sub);
    expect(log.at(-1)?.headers.get("cache-control")).toBe("no-store");

    // A retry within the 5 s reuse interval (a lost response, two tabs) gets a working pair of its own.
    const sibling = await oidc.refreshTokenGrant(config, first);
    expect(sibling.refresh_token).not.toBe(second.refresh_token);

    const third = await oidc.refreshTokenGrant(config, second.refresh_token ?? "");
    expect(third.refresh_token).toBeTruthy();

    // After the reuse interval an already-rotated token is theft: invalid_grant, and the whole family dies.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const replay = await oidc.refreshTokenGrant(config, second.refresh_token ?? "").catch((caught: unknown) => caught);
    expect(replay).toBeInstanceOf(oidc.ResponseBodyError);
    expect((replay as oidc.ResponseBodyError).error).toBe("invalid_grant");
    const newest = await oidc.refreshTokenGrant(config, third.refresh_token ?? "").catch((caught: unknown) => caught);
    expect((newest as oidc.ResponseBodyError).error).toBe("invalid_grant");
  });

  // RFC 6749 §6: the new refresh token keeps the presented one's scope, whatever the access token was narrowed to.
  it("narrows the scope on request and keeps the original grant for later refreshes", async () => {
    const { config } = await webApp();
    const { tokens } = await signIn(config);
    const narrow = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? "", { scope: "openid" });
    expect(narrow.scope).toBe("openid");
    const info = await oidc.fetchUserInfo(config, narrow.access_token, tokens.claims()?.sub ?? "");
    expect(info.email).toBeUndefined();
    const back = await oidc.refreshTokenGrant(config, narrow.refresh_token ?? "", { scope: "openid email" });
    expect(back.scope?.split(" ").sort()).toEqual(["email", "openid"]);
  });
});

describe("RFC 7662 introspection and RFC 7009 revocation", () => {
  it("introspects live tokens for their own client only, and a revoked refresh token is inactive and refused", async () => {
    const { client, config } = await webApp();
    const { user, tokens } = await signIn(config);
    const access = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(access).toMatchObject({ active: true, client_id: client.client_id, sub: user.id, iss: baseUrl() });
    expect(access.scope?.split(" ")).toContain("openid");
    expect(access.exp).toBeGreaterThan(Math.floor(Date.now() / 1000));
    const refresh = await oidc.tokenIntrospection(config, tokens.refresh_token ?? "");
    expect(refresh).toMatchObject({ active: true, client_id: client.client_id, sub: user.id, token_type: "refresh_token" });

    // Another client learns nothing about these tokens (RFC 7662 §2.2 allows "active": false).
    const other = await webApp();
    expect(await oidc.tokenIntrospection(other.config, tokens.access_token)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(other.config, tokens.refresh_token ?? "")).toEqual({ active: false });
    // Revoking someone else's token is answered 200 and changes nothing (RFC 7009 §2.2).
    await oidc.tokenRevocation(other.config, tokens.refresh_token ?? "");
    expect((await oidc.tokenIntrospection(config, tokens.refresh_token ?? "")).active).toBe(true);

    await oidc.tokenRevocation(config, tokens.refresh_token ?? "");
    expect(await oidc.tokenIntrospection(config, tokens.refresh_token ?? "")).toEqual({ active: false });
    const refused = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? "").catch((caught: unknown) => caught);
    expect((refused as oidc.ResponseBodyError).error).toBe("invalid_grant");
    // An unknown token is not an error either.
    await oidc.tokenRevocation(config, "not-a-token-we-issued");
  });
});

describe("RFC 9068 JWT access tokens", () => {
  it("validate with oauth4webapi's resource-server checks and carry the RFC 9068 §2.2 claims", async () => {
    const { client, config } = await webApp();
    const { user, tokens } = await signIn(config, "openid email");
    const as = config.serverMetadata();
    const request = new Request(`${baseUrl()}/api`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, baseUrl(), {
      [oauth.allowInsecureRequests]: true,
      [oauth.customFetch]: loopbackFetch,
    });
    expect(claims).toMatchObject({ iss: baseUrl(), sub: user.id, client_id: client.client_id, aud: baseUrl(), scope: "openid email" });
    expect(typeof claims.jti).toBe("string");
    const verified = await verifyWithJose(tokens.access_token, { audience: baseUrl(), typ: "at+jwt" });
    expect(verified.protectedHeader.alg).toBe("ES256");
  });
});

describe("RFC 6749 §4.4 client credentials with RFC 7523 private_key_jwt and client_secret_post", () => {
  it("authenticates with openid-client's PrivateKeyJwt and refuses a replayed assertion", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const kid = "e2e-key-1";
    const client = await registerClient({
      grant_types: ["client_credentials"],
      token_endpoint_auth_method: "private_key_jwt",
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] },
      scope: "api:read api:write",
    });
    const config = await discover(client.client_id, undefined, oidc.PrivateKeyJwt({ key: privateKey, kid }));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: "api:read" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    const access = await verifyWithJose(tokens.access_token, { audience: baseUrl(), typ: "at+jwt" });
    expect(access.payload).toMatchObject({ sub: client.client_id, client_id: client.client_id, scope: "api:read" });

    // The same assertion twice: the jti was recorded, so the second is invalid_client (RFC 7523 §3 item 7).
    const assertion = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid })
      .setIssuer(client.client_id)
      .setSubject(client.client_id)
      .setAudience(`${baseUrl()}/token`)
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(privateKey);
    const post = () =>
      fetch(`${connectUrl()}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
        }),
      });
    expect((await post()).status).toBe(200);
    const replay = await post();
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_client");
  });

  it("authenticates with openid-client's ClientSecretPost", async () => {
    const client = await registerClient({ grant_types: ["client_credentials"], token_endpoint_auth_method: "client_secret_post", scope: "api:read" });
    const config = await discover(client.client_id, undefined, oidc.ClientSecretPost(client.client_secret));
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens.scope).toBe("api:read");
    expect((await verifyWithJose(tokens.access_token, { audience: baseUrl(), typ: "at+jwt" })).payload.sub).toBe(client.client_id);
  });
});

describe("RFC 9126 pushed authorization requests", () => {
  it("pushes the request with openid-client, completes it in the browser once, and refuses the request_uri the second time", async () => {
    const { config } = await webApp();
    const checks = await pkceChecks();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, codeRequest(rp.redirectUri, checks));
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    expect(url.searchParams.get("request_uri")).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const browser = await freshBrowser();
    const user = await createUser("oidc-par");
    const { callback } = await walkInBrowser(browser.page, url, rp.receiver, { account: user });
    const tokens = await oidc.authorizationCodeGrant(config, callbackInput(rp.receiver, callback), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
    });
    expect(tokens.claims()?.sub).toBe(user.id);
    // RFC 9126 §2.2: single use. The second visit is an error page, not a redirect.
    const response = await browser.page.goto(url.toString());
    expect(response?.status()).toBe(400);
    expect(new URL(browser.page.url()).origin).toBe(baseUrl());
  });
});

describe("OAuth 2.0 Form Post Response Mode", () => {
  // Regression: the auto-submit once posted the page's first form, the layout's language switch, instead of the response.
  it("posts code, state and iss to the redirect URI from the browser, and openid-client redeems it", async () => {
    const { config } = await webApp();
    const checks = await pkceChecks();
    const url = oidc.buildAuthorizationUrl(config, { ...codeRequest(rp.redirectUri, checks), response_mode: "form_post" });
    const browser = await freshBrowser();
    const { callback } = await walkInBrowser(browser.page, url, rp.receiver, { account: await createUser("oidc-form-post") });
    expect(callback.method).toBe("POST");
    expect(callback.url.search).toBe("");
    const posted = new URLSearchParams(callback.body);
    expect(posted.get("state")).toBe(checks.state);
    expect(posted.get("iss")).toBe(baseUrl());
    const tokens = await oidc.authorizationCodeGrant(config, callbackInput(rp.receiver, callback), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
    });
    expect(tokens.id_token).toBeTruthy();
  });
});

describe("OIDC Discovery 1.0 §4 and RFC 8414 §3 (oauth4webapi, strict)", () => {
  it("serves metadata whose issuer is exactly the issuer URL, with both well-known paths", async () => {
    const issuer = new URL(baseUrl());
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: loopbackFetch };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    expect(as).toMatchObject({
      issuer: baseUrl(),
      authorization_endpoint: `${baseUrl()}/authorize`,
      token_endpoint: `${baseUrl()}/token`,
      jwks_uri: `${baseUrl()}/jwks.json`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
    });
    expect(as.subject_types_supported).toContain("public");
    expect(as.id_token_signing_alg_values_supported).toContain("RS256");
    expect(as).toMatchObject({ end_session_endpoint: `${baseUrl()}/logout`, backchannel_logout_supported: true, backchannel_logout_session_supported: true });
    expect(as.grant_types_supported).not.toContain("password");
    expect(as.grant_types_supported).not.toContain("implicit");
    // OIDC Core §10.1: every published key has a kid; none carries private members.
    const jwks = (await (await loopbackFetch(String(as.jwks_uri), { method: "GET", headers: {}, body: undefined, redirect: "manual" })).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(3);
    for (const key of jwks.keys) {
      expect(typeof key.kid).toBe("string");
      for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key[member]).toBeUndefined();
    }
    const oauthMetadata = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: "oauth2" }));
    expect(oauthMetadata.issuer).toBe(baseUrl());
  });

  it("gives a token response that oauth4webapi accepts with the ID token required and the nonce and iss checked", async () => {
    const issuer = new URL(baseUrl());
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: loopbackFetch };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    const registered = await registerClient({ redirect_uris: [rp.redirectUri], scope: "openid email", first_party: true, token_endpoint_auth_method: "none" });
    const client: oauth.Client = { client_id: registered.client_id };
    const checks = await pkceChecks();
    const url = new URL(as.authorization_endpoint ?? "");
    for (const [key, value] of Object.entries({ client_id: client.client_id, response_type: "code", ...codeRequest(rp.redirectUri, checks, "openid email") }))
      url.searchParams.set(key, value);
    const browser = await freshBrowser();
    const { callback } = await walkInBrowser(browser.page, url, rp.receiver, { account: await createUser("oidc-o4w") });
    const params = oauth.validateAuthResponse(as, client, new URL(callback.url.search, rp.redirectUri), checks.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, rp.redirectUri, checks.verifier, options);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: checks.nonce, requireIdToken: true });
    expect(result.token_type).toBe("bearer");
    expect(result.refresh_token).toBeUndefined();
    const idClaims = oauth.getValidatedIdTokenClaims(result);
    expect(idClaims?.aud).toBe(client.client_id);
    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      idClaims?.sub ?? "",
      await oauth.userInfoRequest(as, client, result.access_token, options),
    );
    expect(userinfo.email).toBeTruthy();
  });
});

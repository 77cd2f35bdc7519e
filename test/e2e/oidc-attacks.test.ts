import { createPublicKey } from "node:crypto";
import { base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggedInClient } from "./support/accounts";
import { baseUrl, connectUrl, HttpClient } from "./support/http-client";
import { createUser, discover, pkceChecks, type Receiver, type RegisteredClient, registerClient, startReceiver } from "./support/oidc-rp";

/**
 * Bad input and attacks against the OpenID Provider, each asserting the exact `error` (RFC 6749 §4.1.2.1,
 * §5.2, RFC 6750 §3.1) and, where the spec says so, that nothing is redirected. Plain HTTP from Node with
 * redirects left to the test; openid-client where a relying party's view of the error matters.
 */

let receiver: Receiver;
let redirectUri: string;
let victim: RegisteredClient;
let other: RegisteredClient;
let session: HttpClient;
/** A code issued at the start of the file, redeemed only after its 60 s lifetime by the last test. */
let agingCode: { code: string; verifier: string; issuedAt: number };

const CODE_LIFETIME_MS = 60_000;

beforeAll(async () => {
  receiver = await startReceiver();
  redirectUri = `${receiver.origin}/cb`;
  const metadata = {
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [`${receiver.origin}/logged-out`],
    grant_types: ["authorization_code", "refresh_token"],
    scope: "openid email profile offline_access",
    first_party: true,
  };
  victim = await registerClient({ client_name: "Victim app", ...metadata });
  other = await registerClient({ client_name: "Other app", ...metadata });
  session = await loggedInClient(await createUser("attacks"));
  agingCode = { ...(await codeFor(victim)), issuedAt: Date.now() };
});
afterAll(async () => {
  await receiver?.close();
});

/** `/authorize?…` for `client` with an ordinary code + PKCE request, `changes` applied (`null` drops a parameter). */
function authorizePath(client: { client_id: string }, challenge: string, changes: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: "openid email offline_access",
    state: "state-1",
    nonce: "nonce-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...changes,
  };
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null));
  return `/authorize?${query}`;
}

/** A code for `client` from the logged-in session, with its verifier. */
async function codeFor(client: { client_id: string }): Promise<{ code: string; verifier: string }> {
  const checks = await pkceChecks();
  const response = await session.get(authorizePath(client, checks.challenge));
  expect(response.status).toBe(303);
  const code = new URL(response.headers.get("location") ?? "").searchParams.get("code");
  expect(code).toBeTruthy();
  return { code: code ?? "", verifier: checks.verifier };
}

/** The error a redirect carries in its query (the redirect URI must be the client's). */
function redirectedError(response: Response): URLSearchParams {
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location") ?? "");
  expect(location.origin + location.pathname).toBe(redirectUri);
  expect(location.searchParams.get("iss")).toBe(baseUrl());
  return location.searchParams;
}

/** The error page: 400, no `Location`, and the page names the error. */
async function expectErrorPage(response: Response, error: string): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  const html = await response.text();
  expect(html).toContain("This sign-in link does not work");
  expect(html).toContain(`(${error})`);
}

const basic = (client: RegisteredClient, secret = client.client_secret ?? "") =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** A raw POST to an OAuth endpoint; answers status, headers and the JSON body. */
async function oauthPost(path: string, body: string | Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${connectUrl()}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: typeof body === "string" ? body : new URLSearchParams(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

function redeem(client: RegisteredClient, code: { code: string; verifier: string }, changes: Record<string, string | null> = {}) {
  const fields: Record<string, string | null> = {
    grant_type: "authorization_code",
    code: code.code,
    redirect_uri: redirectUri,
    code_verifier: code.verifier,
    ...changes,
  };
  return oauthPost("/token", Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== null)), {
    authorization: basic(client),
  });
}

describe("RFC 6749 §3.1.2.3 and §4.1.2.1, RFC 9700 §4.1.3: exact redirect URI matching, error page and no redirect", () => {
  it.each([
    ["a trailing slash", () => `${redirectUri}/`],
    ["another case in the path", () => `${receiver.origin}/CB`],
    ["another case in the host", () => redirectUri.replace("localhost", "LOCALHOST")],
    ["an added query", () => `${redirectUri}?next=https://attacker.example/`],
    ["a fragment", () => `${redirectUri}#x`],
    ["user information before the host", () => redirectUri.replace("http://", "http://attacker@")],
    ["the registered authority as user information", () => `${receiver.origin}@attacker.example/cb`],
    ["encoded dot segments", () => `${receiver.origin}/x/%2e%2e/cb`],
    ["encoded dot segments in capitals", () => `${redirectUri}/%2E%2E/cb`],
    ["another port", () => redirectUri.replace(`:${new URL(redirectUri).port}`, ":1")],
    ["the loopback address for localhost", () => redirectUri.replace("localhost", "127.0.0.1")],
  ])("refuses %s", async (_, nearMiss) => {
    const checks = await pkceChecks();
    await expectErrorPage(await session.get(authorizePath(victim, checks.challenge, { redirect_uri: nearMiss() })), "invalid_request");
  });

  it("lets a native app's loopback IP redirect use any port (RFC 8252 §7.3), with the path still exact", async () => {
    const native = await registerClient({
      application_type: "native",
      token_endpoint_auth_method: "none",
      redirect_uris: ["http://127.0.0.1/native-cb"],
      first_party: true,
      scope: "openid email offline_access",
    });
    const checks = await pkceChecks();
    const ok = await session.get(authorizePath(native, checks.challenge, { redirect_uri: "http://127.0.0.1:51234/native-cb" }));
    expect(ok.status).toBe(303);
    expect(new URL(ok.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
    await expectErrorPage(await session.get(authorizePath(native, checks.challenge, { redirect_uri: "http://127.0.0.1:51234/native-cb/" })), "invalid_request");
  });

  // Regression: the any-port loopback rule once applied to web apps too (RFC 9700 §2.1 allows it only for native apps).
  it("keeps a web app's loopback redirect to its registered port", async () => {
    const web = await registerClient({ redirect_uris: [`${receiver.loopbackOrigin}/web-cb`], first_party: true, scope: "openid email offline_access" });
    const checks = await pkceChecks();
    const otherPort = `http://127.0.0.1:${Number(new URL(receiver.loopbackOrigin).port) === 1 ? 2 : 1}/web-cb`;
    await expectErrorPage(await session.get(authorizePath(web, checks.challenge, { redirect_uri: otherPort })), "invalid_request");
  });

  it("refuses a missing redirect_uri and an unknown client_id with an error page", async () => {
    const checks = await pkceChecks();
    await expectErrorPage(await session.get(authorizePath(victim, checks.challenge, { redirect_uri: null })), "invalid_request");
    await expectErrorPage(await session.get(authorizePath({ client_id: "unknown-client-id" }, checks.challenge)), "invalid_client");
    await expectErrorPage(await session.get(authorizePath({ client_id: `${victim.client_id}x` }, checks.challenge)), "invalid_client");
  });
});

describe("RFC 6749 §3.1 and §3.2: parameters sent more than once are invalid_request", () => {
  it("at /authorize: a repeated scope is redirected, a repeated redirect_uri or client_id is an error page", async () => {
    const checks = await pkceChecks();
    const repeatedScope = await session.get(`${authorizePath(victim, checks.challenge)}&scope=profile`);
    const error = redirectedError(repeatedScope);
    expect(error.get("error")).toBe("invalid_request");
    expect(error.get("state")).toBe("state-1");
    expect(error.get("code")).toBeNull();
    await expectErrorPage(await session.get(`${authorizePath(victim, checks.challenge)}&redirect_uri=${encodeURIComponent(redirectUri)}`), "invalid_request");
    await expectErrorPage(await session.get(`${authorizePath(victim, checks.challenge)}&client_id=${other.client_id}`), "invalid_request");
  });

  it("at /token: a repeated code is refused before it is used", async () => {
    const code = await codeFor(victim);
    const body = new URLSearchParams({ grant_type: "authorization_code", code: code.code, redirect_uri: redirectUri, code_verifier: code.verifier });
    const repeated = await oauthPost("/token", `${body}&code=${code.code}`, { authorization: basic(victim) });
    expect(repeated.status).toBe(400);
    expect(repeated.body.error).toBe("invalid_request");
    expect(repeated.headers.get("cache-control")).toBe("no-store");
    expect((await redeem(victim, code)).status).toBe(200);
  });
});

describe("RFC 7636 §4.4.1 and RFC 9700 §2.1.1: PKCE missing, plain, wrong or downgraded", () => {
  it("refuses an authorization request without S256 PKCE with invalid_request at the redirect URI", async () => {
    const checks = await pkceChecks();
    const requests: Record<string, string | null>[] = [
      { code_challenge: null, code_challenge_method: null },
      { code_challenge: null },
      { code_challenge_method: "plain" },
      { code_challenge_method: null },
      { code_challenge: "short" },
    ];
    for (const changes of requests) {
      const error = redirectedError(await session.get(authorizePath(victim, checks.challenge, changes)));
      expect(error.get("error"), JSON.stringify(changes)).toBe("invalid_request");
      expect(error.get("code")).toBeNull();
    }
  });

  it("refuses a wrong verifier with invalid_grant and a missing one with invalid_request", async () => {
    const wrong = await codeFor(victim);
    const result = await redeem(victim, wrong, { code_verifier: (await pkceChecks()).verifier });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("invalid_grant");

    const downgraded = await codeFor(victim);
    const missing = await redeem(victim, downgraded, { code_verifier: null });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("invalid_request");
    // The plain method's trick, the challenge itself as verifier, does not pass S256 either.
    const challenge = await oidc.calculatePKCECodeChallenge(downgraded.verifier);
    const asPlain = await redeem(victim, downgraded, { code_verifier: challenge });
    expect(asPlain.body.error).toBe("invalid_grant");
  });
});

describe("RFC 6749 §4.1.2 and §4.1.3: codes are single use, bound to the client and the redirect URI", () => {
  it("refuses a reused code with invalid_grant and revokes what its first use issued", async () => {
    const code = await codeFor(victim);
    const first = await redeem(victim, code);
    expect(first.status).toBe(200);
    const again = await redeem(victim, code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    const refresh = await oauthPost(
      "/token",
      { grant_type: "refresh_token", refresh_token: String(first.body.refresh_token) },
      { authorization: basic(victim) },
    );
    expect(refresh.body.error).toBe("invalid_grant");
  });

  it("refuses a code redeemed by another client or with another redirect_uri with invalid_grant", async () => {
    const stolen = await redeem(other, await codeFor(victim));
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe("invalid_grant");
    const moved = await redeem(victim, await codeFor(victim), { redirect_uri: `${receiver.origin}/elsewhere` });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toBe("invalid_grant");
    const made = await redeem(victim, { code: "made-up-code", verifier: (await pkceChecks()).verifier });
    expect(made.body.error).toBe("invalid_grant");
  });
});

describe("RFC 6749 §5.2: client authentication and grant errors at /token", () => {
  it("answers a wrong client secret with 401 invalid_client and WWW-Authenticate", async () => {
    const attempts: { headers: Record<string, string>; body: Record<string, string> }[] = [
      { headers: { authorization: basic(victim, "wrong-secret") }, body: { grant_type: "refresh_token", refresh_token: "x" } },
      { headers: {}, body: { grant_type: "refresh_token", refresh_token: "x", client_id: victim.client_id, client_secret: "wrong-secret" } },
      { headers: { authorization: basic({ ...victim, client_id: "no-such-client" }) }, body: { grant_type: "refresh_token", refresh_token: "x" } },
    ];
    for (const attempt of attempts) {
      const result = await oauthPost("/token", attempt.body, attempt.headers);
      expect(result.status).toBe(401);
      expect(result.body.error).toBe("invalid_client");
      expect(result.headers.get("www-authenticate")).toMatch(/^Basic /);
      expect(result.headers.get("cache-control")).toBe("no-store");
    }
    // openid-client sees the same: a 401 with the challenge.
    const config = await discover(victim.client_id, undefined, oidc.ClientSecretBasic("wrong-secret"));
    const error = await oidc.refreshTokenGrant(config, "x").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401 });
  });

  it("answers a grant the client did not register with unauthorized_client", async () => {
    const result = await oauthPost("/token", { grant_type: "client_credentials" }, { authorization: basic(victim) });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("unauthorized_client");
    const codeOnly = await registerClient({ redirect_uris: [redirectUri], first_party: true });
    const refresh = await oauthPost("/token", { grant_type: "refresh_token", refresh_token: "x" }, { authorization: basic(codeOnly) });
    expect(refresh.body.error).toBe("unauthorized_client");
  });

  it("answers grant_type=password with unsupported_grant_type", async () => {
    const result = await oauthPost("/token", { grant_type: "password", username: "a@example.com", password: "guess" }, { authorization: basic(victim) });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("unsupported_grant_type");
    expect(result.headers.get("cache-control")).toBe("no-store");
  });

  it("answers a wider scope on refresh with invalid_scope", async () => {
    const tokens = await redeem(victim, await codeFor(victim));
    const refresh = String(tokens.body.refresh_token);
    const wider = await oauthPost(
      "/token",
      { grant_type: "refresh_token", refresh_token: refresh, scope: "openid email profile" },
      { authorization: basic(victim) },
    );
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe("invalid_scope");
    // openid-client gets the same error as a ResponseBodyError.
    const config = await discover(victim.client_id, undefined, oidc.ClientSecretBasic(victim.client_secret));
    const error = await oidc.refreshTokenGrant(config, refresh, { scope: "openid phone" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(oidc.ResponseBodyError);
    expect((error as oidc.ResponseBodyError).error).toBe("invalid_scope");
  });
});

describe("RFC 6750 §3.1: forged and misused tokens at /userinfo are 401 invalid_token", () => {
  it("refuses alg none, HS256 keyed with our public key, an unknown kid, a tampered exp and an ID token", async () => {
    const tokens = await redeem(victim, await codeFor(victim));
    const access = String(tokens.body.access_token);
    const claims = decodeJwt(access);
    const header = decodeProtectedHeader(access);
    const [encodedHeader, , signature] = access.split(".");
    const jwks = (await (await fetch(`${connectUrl()}/jwks.json`)).json()) as { keys: (Record<string, string> & { kid: string })[] };
    const ours = jwks.keys.find((key) => key.kid === header.kid) ?? {};
    const pem = createPublicKey({ key: ours, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
    const attacker = await generateKeyPair("ES256");
    const forged = {
      "alg none": new UnsecuredJWT(claims).encode(),
      "HS256 keyed with the JWK": await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: header.kid, typ: "at+jwt" })
        .sign(new TextEncoder().encode(JSON.stringify(ours))),
      "HS256 keyed with the PEM": await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: header.kid, typ: "at+jwt" })
        .sign(new TextEncoder().encode(pem)),
      "an unknown kid": `${base64url.encode(JSON.stringify({ ...header, kid: "unknown-kid" }))}.${access.split(".")[1]}.${signature}`,
      "an attacker's key embedded as jwk": await new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", typ: "at+jwt", jwk: await exportJWK(attacker.publicKey) })
        .sign(attacker.privateKey),
      "an expired exp (re-encoded payload)": `${encodedHeader}.${base64url.encode(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }))}.${signature}`,
      "the ID token": String(tokens.body.id_token),
    };
    for (const [name, token] of Object.entries(forged)) {
      const response = await fetch(`${connectUrl()}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, name).toBe(401);
      expect(((await response.json()) as { error: string }).error, name).toBe("invalid_token");
      expect(response.headers.get("www-authenticate"), name).toContain('error="invalid_token"');
    }
    // The genuine token works, and openid-client reads the challenge of a forged one.
    expect((await fetch(`${connectUrl()}/userinfo`, { headers: { authorization: `Bearer ${access}` } })).status).toBe(200);
    const config = await discover(victim.client_id, undefined, oidc.ClientSecretBasic(victim.client_secret));
    const error = await oidc.fetchUserInfo(config, forged["alg none"], oidc.skipSubjectCheck).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    expect((error as oidc.WWWAuthenticateChallengeError).cause[0]?.parameters.error).toBe("invalid_token");
  });

  it("takes no access token from the query string (RFC 6750 §2.3 is not offered)", async () => {
    const tokens = await redeem(victim, await codeFor(victim));
    const response = await fetch(`${connectUrl()}/userinfo?access_token=${tokens.body.access_token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });
});

describe("OIDC Core §3.1.2.6: prompt=none", () => {
  it("answers login_required without a session, at the redirect URI with state and iss, as openid-client reads it", async () => {
    const checks = await pkceChecks();
    const response = await new HttpClient().get(authorizePath(victim, checks.challenge, { prompt: "none" }));
    const error = redirectedError(response);
    expect(error.get("error")).toBe("login_required");
    expect(error.get("state")).toBe("state-1");
    const config = await discover(victim.client_id, undefined, oidc.ClientSecretBasic(victim.client_secret));
    const seen = await oidc
      .authorizationCodeGrant(config, new URL(response.headers.get("location") ?? ""), { pkceCodeVerifier: checks.verifier, expectedState: "state-1" })
      .catch((caught: unknown) => caught);
    expect(seen).toBeInstanceOf(oidc.AuthorizationResponseError);
    expect((seen as oidc.AuthorizationResponseError).error).toBe("login_required");
  });

  it("answers consent_required for a third-party app the user has not consented to", async () => {
    const thirdParty = await registerClient({ redirect_uris: [redirectUri], scope: "openid email" });
    const checks = await pkceChecks();
    const error = redirectedError(await session.get(authorizePath(thirdParty, checks.challenge, { prompt: "none", scope: "openid email" })));
    expect(error.get("error")).toBe("consent_required");
  });
});

describe("RP-Initiated Logout 1.0 §2–3: no redirect to an unregistered URI or for a foreign id_token_hint", () => {
  it("does not redirect, with or without a session", async () => {
    const tokens = await redeem(victim, await codeFor(victim));
    const idToken = String(tokens.body.id_token);
    const attacker = await generateKeyPair("RS256");
    const foreign = await new SignJWT({ sub: decodeJwt(idToken).sub, aud: victim.client_id, sid: decodeJwt(idToken).sid })
      .setProtectedHeader({ alg: "RS256", kid: decodeProtectedHeader(idToken).kid })
      .setIssuer(baseUrl())
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(attacker.privateKey);
    const registered = `${receiver.origin}/logged-out`;
    const requests: Record<string, string>[] = [
      { id_token_hint: idToken, post_logout_redirect_uri: "https://attacker.example/" },
      { id_token_hint: idToken, post_logout_redirect_uri: `${registered}/` },
      { id_token_hint: foreign, post_logout_redirect_uri: registered },
      { id_token_hint: idToken, client_id: other.client_id, post_logout_redirect_uri: registered },
      { post_logout_redirect_uri: registered },
    ];
    for (const params of requests) {
      const anonymous = await new HttpClient().get(`/logout?${new URLSearchParams({ ...params, state: "s" })}`);
      expect(anonymous.status, JSON.stringify(params)).toBe(200);
      expect(anonymous.headers.get("location")).toBeNull();
      // With a session the confirmation page carries no redirect, and posting one anyway changes nothing.
      const page = await (await session.get(`/logout?${new URLSearchParams(params)}`)).text();
      expect(page).toContain("Log out?");
      expect(page).not.toContain('name="post_logout_redirect_uri"');
    }
    const visitor = await loggedInClient(await createUser("attacks-logout"));
    const confirmed = await visitor.post("/logout/confirm", { post_logout_redirect_uri: "https://attacker.example/", client_id: victim.client_id });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get("location")).toBeNull();
  });
});

describe("hostile state and nonce values (RFC 6749 §4.1.2, §10.14)", () => {
  it("handles CR/LF and 4 KB values without a 500 or an injected header", async () => {
    const checks = await pkceChecks();
    const hostile: Record<string, string>[] = [
      { state: "a\r\nSet-Cookie: injected=1" },
      { state: "s".repeat(4096) },
      { state: "%0d%0aSet-Cookie:%20injected=1" },
      { nonce: "n\r\nX-Injected: 1" },
      { nonce: "n".repeat(4096) },
    ];
    for (const changes of hostile) {
      const response = await session.get(authorizePath(victim, checks.challenge, changes));
      expect(response.status, JSON.stringify(changes).slice(0, 80)).toBe(303);
      expect(response.headers.get("set-cookie") ?? "").not.toContain("injected");
      const query = new URL(response.headers.get("location") ?? "").searchParams;
      if (changes.state?.startsWith("%0d")) {
        // Printable ASCII is echoed exactly (it is the client's own text), never decoded into a header.
        expect(query.get("state")).toBe(changes.state);
      } else {
        expect(query.get("error")).toBe("invalid_request");
        if ("state" in changes) expect(query.get("state")).toBeNull();
      }
    }
    const logout = await new HttpClient().get(`/logout?${new URLSearchParams({ state: "a\r\nSet-Cookie: injected=1", post_logout_redirect_uri: "x" })}`);
    expect(logout.status).toBe(200);
    expect(logout.headers.get("set-cookie") ?? "").not.toContain("injected");
  });
});

describe("RFC 6749 §5.1 and §5.2: Cache-Control no-store on every token-bearing or error response", () => {
  it("is set on token, introspection, PAR and userinfo answers", async () => {
    const tokens = await redeem(victim, await codeFor(victim));
    expect(tokens.headers.get("cache-control")).toBe("no-store");
    const introspection = await oauthPost("/introspect", { token: String(tokens.body.access_token) }, { authorization: basic(victim) });
    expect(introspection.body.active).toBe(true);
    expect(introspection.headers.get("cache-control")).toBe("no-store");
    const checks = await pkceChecks();
    const par = await oauthPost(
      "/par",
      { response_type: "code", redirect_uri: redirectUri, scope: "openid", code_challenge: checks.challenge, code_challenge_method: "S256" },
      { authorization: basic(victim) },
    );
    expect(par.status).toBe(201);
    expect(par.headers.get("cache-control")).toBe("no-store");
    const userinfo = await fetch(`${connectUrl()}/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect(userinfo.headers.get("cache-control")).toBe("no-store");
  });
});

describe("RFC 9126 §2: pushed authorization requests are authenticated, validated and bound to their client", () => {
  it("refuses a push without client authentication, with a bad redirect_uri or with a request_uri", async () => {
    const checks = await pkceChecks();
    const request = { response_type: "code", redirect_uri: redirectUri, scope: "openid", code_challenge: checks.challenge, code_challenge_method: "S256" };
    const anonymous = await oauthPost("/par", { ...request, client_id: victim.client_id });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe("invalid_client");
    const badRedirect = await oauthPost("/par", { ...request, redirect_uri: `${redirectUri}/` }, { authorization: basic(victim) });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.body.error).toBe("invalid_request");
    const nested = await oauthPost("/par", { ...request, request_uri: "urn:ietf:params:oauth:request_uri:x" }, { authorization: basic(victim) });
    expect(nested.body.error).toBe("invalid_request");
    const noPkce = await oauthPost("/par", { ...request, code_challenge_method: "plain" }, { authorization: basic(victim) });
    expect(noPkce.body.error).toBe("invalid_request");
  });

  it("shows an error page for a request_uri used by another client or made up", async () => {
    const checks = await pkceChecks();
    const pushed = await oauthPost(
      "/par",
      { response_type: "code", redirect_uri: redirectUri, scope: "openid", code_challenge: checks.challenge, code_challenge_method: "S256" },
      { authorization: basic(victim) },
    );
    const requestUri = String(pushed.body.request_uri);
    await expectErrorPage(
      await session.get(`/authorize?${new URLSearchParams({ client_id: other.client_id, request_uri: requestUri })}`),
      "invalid_request_uri",
    );
    const madeUp = "urn:ietf:params:oauth:request_uri:made-up";
    await expectErrorPage(await session.get(`/authorize?${new URLSearchParams({ client_id: victim.client_id, request_uri: madeUp })}`), "invalid_request_uri");
    // Still unused: the rightful client completes it.
    const response = await session.get(`/authorize?${new URLSearchParams({ client_id: victim.client_id, request_uri: requestUri })}`);
    expect(new URL(response.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
  });
});

describe("OIDC Core §3.1.2.1–3.1.2.2 and RFC 9700 §2.1.2: request methods and response types", () => {
  it("answers POST /authorize like GET (form-encoded, no CSRF token needed from the relying party)", async () => {
    const checks = await pkceChecks();
    const body = authorizePath(victim, checks.challenge).slice("/authorize?".length);
    const response = await session.fetch("/authorize", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://rp.example" },
      body,
    });
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
  });

  it("refuses the implicit and hybrid response types with unsupported_response_type at the redirect URI", async () => {
    const checks = await pkceChecks();
    for (const responseType of ["token", "id_token", "code id_token", "code token"]) {
      const error = redirectedError(await session.get(authorizePath(victim, checks.challenge, { response_type: responseType })));
      expect(error.get("error"), responseType).toBe("unsupported_response_type");
      expect(error.get("access_token")).toBeNull();
    }
  });

  it("refuses request objects with request_not_supported (only PAR is offered)", async () => {
    const checks = await pkceChecks();
    const error = redirectedError(await session.get(authorizePath(victim, checks.challenge, { request: "eyJhbGciOiJub25lIn0.e30." })));
    expect(error.get("error")).toBe("request_not_supported");
  });

  it("answers POST /userinfo with the token in the header or the form body (OIDC Core §5.3.1, RFC 6750 §2.2)", async () => {
    const tokens = await redeem(victim, await codeFor(victim));
    const inHeader = await fetch(`${connectUrl()}/userinfo`, { method: "POST", headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect(inHeader.status).toBe(200);
    const inBody = await oauthPost("/userinfo", { access_token: String(tokens.body.access_token) });
    expect(inBody.status).toBe(200);
    expect(inBody.body.sub).toBe(decodeJwt(String(tokens.body.id_token)).sub);
  });
});

describe("RFC 6749 §10.4, RFC 7009 §2.1 and RFC 7662 §2.1: tokens are bound to their client, and the endpoints authenticate it", () => {
  it("refuses another client's refresh token with invalid_grant", async () => {
    const tokens = await redeem(victim, await codeFor(victim));
    const stolen = await oauthPost(
      "/token",
      { grant_type: "refresh_token", refresh_token: String(tokens.body.refresh_token) },
      { authorization: basic(other) },
    );
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe("invalid_grant");
  });

  it("answers revocation and introspection with a wrong secret or none as 401 invalid_client", async () => {
    for (const path of ["/revoke", "/introspect"]) {
      const wrong = await oauthPost(path, { token: "x" }, { authorization: basic(victim, "wrong-secret") });
      expect(wrong.status, path).toBe(401);
      expect(wrong.body.error, path).toBe("invalid_client");
      expect(wrong.headers.get("www-authenticate"), path).toMatch(/^Basic /);
      const none = await oauthPost(path, { token: "x", client_id: victim.client_id });
      expect(none.status, path).toBe(401);
      expect(none.body.error, path).toBe("invalid_client");
    }
  });

  // Discovery lists no "none" among introspection_endpoint_auth_methods_supported; a public client's id proves nothing.
  it("refuses introspection by a public client that presents only its client_id", async () => {
    const spa = await registerClient({
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: "none",
      first_party: true,
      scope: "openid email offline_access",
    });
    const code = await codeFor(spa);
    const tokens = await oauthPost("/token", {
      grant_type: "authorization_code",
      code: code.code,
      redirect_uri: redirectUri,
      code_verifier: code.verifier,
      client_id: spa.client_id,
    });
    expect(tokens.status).toBe(200);
    const introspection = await oauthPost("/introspect", { token: String(tokens.body.access_token), client_id: spa.client_id });
    expect(introspection.status).toBe(401);
    expect(introspection.body.error).toBe("invalid_client");
  });
});

describe("RFC 9700 §4.16 clickjacking and RP-Initiated Logout 1.0 §2 from another site", () => {
  it("forbids framing of the login, logout confirmation and authorize error pages", async () => {
    const checks = await pkceChecks();
    const pages: [HttpClient, string][] = [
      [new HttpClient(), "/login"],
      [session, "/logout"],
      [new HttpClient(), authorizePath({ client_id: "unknown" }, checks.challenge)],
    ];
    for (const [client, path] of pages) {
      const response = await client.get(path);
      expect(response.status, path).toBeLessThan(500);
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("answers a cross-site POST to /logout with the confirmation page and keeps the session", async () => {
    const visitor = await loggedInClient(await createUser("attacks-csrf-logout"));
    const posted = await visitor.fetch("/logout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://attacker.example" },
      body: new URLSearchParams({ post_logout_redirect_uri: "https://attacker.example/" }),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("Log out?");
    expect((await visitor.get("/account")).status).toBe(200);
  });
});

describe("RFC 6749 §4.1.2: codes expire (60 s here)", () => {
  it("refuses a code older than its lifetime with invalid_grant", async () => {
    const wait = agingCode.issuedAt + CODE_LIFETIME_MS + 2_000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const expired = await redeem(victim, agingCode);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe("invalid_grant");
  });
});

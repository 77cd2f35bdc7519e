import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { findClient } from "../src/services/oidc/clients";
import { refreshTokenGrant } from "../src/services/oidc/token-grants";
import { createVerifiedAccount, logIn } from "./helpers/accounts";
import { basicAuth, createTestClient, type TestClient } from "./helpers/clients";
import { testDeps } from "./helpers/deps";
import { Browser, ORIGIN } from "./helpers/http";
import { authorizeUrl } from "./helpers/oidc";

async function authorize(browser: Browser, client: TestClient, extra: Record<string, string> = {}) {
  const { url, verifier } = await authorizeUrl(client, { scope: "openid profile email offline_access", state: "state-123", nonce: "nonce-456", ...extra });
  const response = await browser.get(url);
  return { response, verifier };
}

async function token(client: TestClient, fields: Record<string, string>) {
  const response = await new Browser().fetch("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
    body: new URLSearchParams(fields),
  });
  return { response, body: (await response.json()) as Record<string, string> };
}

async function loggedInCode(client: TestClient) {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  await logIn(browser, email);
  const { response, verifier } = await authorize(browser, client);
  const location = new URL(response.headers.get("location") ?? "");
  return { browser, email, code: location.searchParams.get("code") ?? "", verifier, location };
}

describe("OpenID Provider: authorization code flow with PKCE (OIDC Core §3.1)", () => {
  it("publishes discovery and a JWKS with ES256, EdDSA and RS256 keys", async () => {
    const discovery = (await (await new Browser().get("/.well-known/openid-configuration")).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(ORIGIN);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    const jwks = (await (await new Browser().get("/jwks.json")).json()) as { keys: { alg: string; d?: string }[] };
    expect(jwks.keys.map((key) => key.alg)).toEqual(expect.arrayContaining(["ES256", "EdDSA", "RS256"]));
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it("redirects a logged-in user with code, state and iss, and exchanges the code once", async () => {
    const client = await createTestClient();
    const { email, code, verifier, location } = await loggedInCode(client);
    expect(location.origin + location.pathname).toBe(client.redirectUri);
    expect(location.searchParams.get("state")).toBe("state-123");
    expect(location.searchParams.get("iss")).toBe(ORIGIN);
    const { response, body } = await token(client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(body.token_type).toBe("Bearer");
    const jwks = createLocalJWKSet((await (await new Browser().get("/jwks.json")).json()) as { keys: [] });
    const idToken = await jwtVerify(body.id_token ?? "", jwks, { issuer: ORIGIN, audience: client.clientId });
    expect(idToken.protectedHeader.alg).toBe("RS256");
    expect(idToken.payload).toMatchObject({ nonce: "nonce-456", email, amr: ["pwd"] });
    const access = await jwtVerify(body.access_token ?? "", jwks, { issuer: ORIGIN, typ: "at+jwt" });
    expect(access.payload.client_id).toBe(client.clientId);
    const userinfo = await new Browser().fetch("/userinfo", { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: idToken.payload.sub, email });
    const again = await token(client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier });
    expect(again.response.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    // The replay revoked the refresh token the first redemption issued.
    const refreshed = await token(client, { grant_type: "refresh_token", refresh_token: body.refresh_token ?? "" });
    expect(refreshed.body.error).toBe("invalid_grant");
  });

  it("rotates refresh tokens, tolerates a retry within the reuse interval, and revokes the family on later reuse", async () => {
    const client = await createTestClient();
    const { code, verifier } = await loggedInCode(client);
    const first = (await token(client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier })).body;
    const [a, b] = await Promise.all([
      token(client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "" }),
      token(client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "" }),
    ]);
    expect(a.response.status).toBe(200);
    expect(b.response.status).toBe(200);
    expect(a.body.refresh_token).not.toBe(b.body.refresh_token);
    const wider = await token(client, { grant_type: "refresh_token", refresh_token: a.body.refresh_token ?? "", scope: "openid api:write" });
    expect(wider.body.error).toBe("invalid_scope");
    // Narrowing affects only the tokens of that response; the next refresh may ask for the original scope again.
    const narrowed = await token(client, { grant_type: "refresh_token", refresh_token: a.body.refresh_token ?? "", scope: "openid" });
    expect(narrowed.body.scope).toBe("openid");
    const restored = await token(client, { grant_type: "refresh_token", refresh_token: narrowed.body.refresh_token ?? "", scope: "openid email" });
    expect(restored.body.scope).toBe("openid email");
    // After the reuse interval, presenting the rotated token again is theft: the whole family dies.
    const later = testDeps({ clock: () => Date.now() + 6_000 });
    const found = await findClient(later, client.clientId);
    await expect(refreshTokenGrant(later, found as NonNullable<typeof found>, { refresh_token: first.refresh_token ?? "" })).rejects.toMatchObject({
      code: "invalid_grant",
    });
    expect((await token(client, { grant_type: "refresh_token", refresh_token: b.body.refresh_token ?? "" })).body.error).toBe("invalid_grant");
  });

  it("issues client_credentials tokens without a user", async () => {
    const client = await createTestClient();
    const { response, body } = await token(client, { grant_type: "client_credentials", scope: "api:read" });
    expect(response.status).toBe(200);
    expect(body.scope).toBe("api:read");
    expect(body.refresh_token).toBeUndefined();
    expect((await token(client, { grant_type: "password", username: "a", password: "b" })).body.error).toBe("unsupported_grant_type");
  });

  it("answers prompt=none without a session with login_required at the redirect URI", async () => {
    const client = await createTestClient();
    const { response } = await authorize(new Browser(), client, { prompt: "none" });
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("login_required");
    expect(location.searchParams.get("state")).toBe("state-123");
  });

  it("sends a visitor to the login page and back, and skips the prompt on SSO", async () => {
    const client = await createTestClient();
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { response } = await authorize(browser, client);
    const login = new URL(response.headers.get("location") ?? "", ORIGIN);
    expect(login.pathname).toBe("/login");
    const returnTo = login.searchParams.get("return_to") ?? "";
    const posted = await browser.post("/login", { email, password: "maple tortoise umbrella 42", return_to: returnTo });
    expect(posted.headers.get("location")).toBe(returnTo);
    const back = await browser.get(returnTo);
    expect(new URL(back.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
    const other = await createTestClient();
    const sso = await authorize(browser, other);
    expect(new URL(sso.response.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
  });

  it("renders an error page, never a redirect, for unknown clients and unregistered redirect URIs", async () => {
    const client = await createTestClient();
    for (const redirect of [`${client.redirectUri}/`, client.redirectUri.toUpperCase(), `${client.redirectUri}?x=1`, `${client.redirectUri}#f`]) {
      const { response } = await authorize(new Browser(), client, { redirect_uri: redirect });
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    }
    const { response } = await authorize(new Browser(), { ...client, clientId: "nope" });
    expect(response.status).toBe(400);
  });

  it("rejects missing and plain PKCE at the redirect URI with invalid_request", async () => {
    const client = await createTestClient();
    const plain = await authorize(new Browser(), client, { code_challenge_method: "plain" });
    expect(new URL(plain.response.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
  });
});

describe("consent and connected apps", () => {
  it("asks a third-party app's user for consent once, lists the app, and removing it kills its refresh tokens", async () => {
    const client = await createTestClient({ first_party: false, client_name: "Photo Printer" });
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const { response, verifier } = await authorize(browser, client);
    const consentUrl = response.headers.get("location") ?? "";
    expect(consentUrl).toMatch(/^\/consent\?interaction=/);
    const page = await (await browser.get(consentUrl)).text();
    expect(page).toContain("Photo Printer");
    expect(page).toContain("See your email address");
    const interaction = new URL(consentUrl, ORIGIN).searchParams.get("interaction") ?? "";
    const allowed = await browser.post("/consent", { interaction, decision: "allow" });
    const resumed = await browser.get(allowed.headers.get("location") ?? "");
    const code = new URL(resumed.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const tokens = (await token(client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier })).body;
    expect(tokens.refresh_token).toBeTruthy();
    // Remembered: the next request goes straight to the app.
    const second = await authorize(browser, client);
    expect(new URL(second.response.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
    const account = await (await browser.get("/account")).text();
    expect(account).toContain("Photo Printer");
    await browser.post("/account/apps/revoke", { client_id: client.clientId });
    expect((await token(client, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" })).body.error).toBe("invalid_grant");
    const third = await authorize(browser, client);
    expect(third.response.headers.get("location")).toMatch(/^\/consent/);
  });

  it("answers a denial with access_denied at the redirect URI", async () => {
    const client = await createTestClient({ first_party: false });
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    const consentUrl = (await authorize(browser, client)).response.headers.get("location") ?? "";
    const interaction = new URL(consentUrl, ORIGIN).searchParams.get("interaction") ?? "";
    const denied = await browser.post("/consent", { interaction, decision: "deny" });
    expect(new URL(denied.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied");
  });

  it("revokes refresh tokens when the password changes", async () => {
    const client = await createTestClient();
    const { browser, code, verifier } = await loggedInCode(client);
    const tokens = (await token(client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier })).body;
    await browser.post("/account/password", { current_password: "maple tortoise umbrella 42", new_password: "fresh new passphrase 3" });
    expect((await token(client, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" })).body.error).toBe("invalid_grant");
  });
});

describe("prompt=create (OIDC Prompt Create 1.0)", () => {
  it("sends the visitor to sign-up and, after verifying by code, back through login to the app", async () => {
    const client = await createTestClient();
    const browser = new Browser();
    const { response } = await authorize(browser, client, { prompt: "create" });
    const signupUrl = new URL(response.headers.get("location") ?? "", ORIGIN);
    expect(signupUrl.pathname).toBe("/signup");
    const returnTo = signupUrl.searchParams.get("return_to") ?? "";
    expect(await (await browser.get(`${signupUrl.pathname}${signupUrl.search}`)).text()).toContain(
      `name="return_to" value="${returnTo.replaceAll("&", "&amp;")}"`,
    );
    const email = `create-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await browser.post("/signup", { email, password: "maple tortoise umbrella 42", return_to: returnTo });
    const { waitForMail, codeIn } = await import("./helpers/outbox");
    const [mail] = await waitForMail(email);
    const verified = await browser.post("/verify/code", { email, code: codeIn(mail as NonNullable<typeof mail>), return_to: returnTo });
    expect(await verified.text()).toContain("/login?return_to=%2Fauthorize%3Finteraction%3D");
    const login = await browser.post("/login", { email, password: "maple tortoise umbrella 42", return_to: returnTo });
    const back = await browser.get(login.headers.get("location") ?? "");
    expect(new URL(back.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
  });
});

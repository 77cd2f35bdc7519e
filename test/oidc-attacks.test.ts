import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { base64url, decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { Delivery } from "../src/durable/delivery-queue";
import { createVerifiedAccount, logIn } from "./helpers/accounts";
import { basicAuth, createTestClient, type TestClient } from "./helpers/clients";
import { Browser, ORIGIN } from "./helpers/http";
import { authorizeUrl } from "./helpers/oidc";

async function codeFor(browser: Browser, client: TestClient, extra: Record<string, string> = {}) {
  const { url, verifier } = await authorizeUrl(client, { scope: "openid email offline_access", state: undefined, nonce: undefined, ...extra });
  const response = await browser.get(url);
  return { location: response.headers.get("location") ?? "", status: response.status, verifier };
}

async function tokens(client: TestClient, browser: Browser) {
  const { location, verifier } = await codeFor(browser, client);
  const code = new URL(location).searchParams.get("code") ?? "";
  const response = await new Browser().fetch("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  return (await response.json()) as { access_token: string; id_token: string; refresh_token: string };
}

async function signedIn() {
  const browser = new Browser();
  await logIn(browser, await createVerifiedAccount(browser));
  return browser;
}

async function userinfo(token: string) {
  const response = await new Browser().fetch("/userinfo", { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as { error?: string }, challenge: response.headers.get("www-authenticate") ?? "" };
}

describe("forged and misused tokens at userinfo (RFC 6750 §3.1)", () => {
  it("refuses alg none, HS256 keyed with our public key, an unknown kid, an expired token and an ID token", async () => {
    const client = await createTestClient();
    const real = await tokens(client, await signedIn());
    const claims = decodeJwt(real.access_token);
    const header = decodeProtectedHeader(real.access_token);
    const none = new UnsecuredJWT(claims).setIssuer(ORIGIN).encode();
    const jwks = (await (await new Browser().get("/jwks.json")).json()) as { keys: { kid: string; x?: string }[] };
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(jwks.keys.find((key) => key.kid === header.kid)));
    const hmac = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: header.kid, typ: "at+jwt" }).sign(publicKeyBytes);
    const [, payload, signature] = real.access_token.split(".");
    const unknownKid = `${base64url.encode(JSON.stringify({ ...header, kid: "nope" }))}.${payload}.${signature}`;
    const expired = `${real.access_token.split(".")[0]}.${base64url.encode(JSON.stringify({ ...claims, exp: 1 }))}.${signature}`;
    for (const forged of [none, hmac, unknownKid, expired, real.id_token]) {
      const result = await userinfo(forged);
      expect(result.status).toBe(401);
      expect(result.body.error).toBe("invalid_token");
      expect(result.challenge).toContain('error="invalid_token"');
    }
    expect((await userinfo(real.access_token)).status).toBe(200);
  });
});

describe("hostile authorization requests (RFC 6749 §4.1.2.1)", () => {
  it("answers duplicate parameters with invalid_request and CRLF or 4 KB state without a 500", async () => {
    const client = await createTestClient();
    const browser = await signedIn();
    const duplicated = await browser.get(
      `/authorize?client_id=${client.clientId}&redirect_uri=${encodeURIComponent(client.redirectUri)}&response_type=code&scope=openid&scope=email`,
    );
    expect(new URL(duplicated.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
    const crlf = await codeFor(browser, client, { state: "a\r\nSet-Cookie: x=1" });
    expect(new URL(crlf.location).searchParams.get("error")).toBe("invalid_request");
    expect(new URL(crlf.location).searchParams.get("state")).toBeNull();
    const big = await codeFor(browser, client, { state: "s".repeat(4096) });
    expect(big.status).toBeLessThan(500);
    const repeatedClient = await browser.get(`/authorize?client_id=${client.clientId}&client_id=${client.clientId}`);
    expect(repeatedClient.status).toBe(400);
    expect(repeatedClient.headers.get("location")).toBeNull();
  });

  it("issues codes that another client or another redirect URI cannot redeem", async () => {
    const client = await createTestClient();
    const other = await createTestClient();
    const { location, verifier } = await codeFor(await signedIn(), client);
    const code = new URL(location).searchParams.get("code") ?? "";
    const stolen = await new Browser().fetch("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(other) },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier }),
    });
    expect(((await stolen.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("answers a wrong client secret with 401 invalid_client and WWW-Authenticate", async () => {
    const client = await createTestClient();
    const response = await new Browser().fetch("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth({ ...client, secret: "wrong" }) },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Basic");
    expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
  });
});

describe("RP-Initiated Logout 1.0 and Back-Channel Logout 1.0", () => {
  it("confirms, ends the session, redirects only to a registered URI, and queues a logout token for the client", async () => {
    const client = await createTestClient({ backchannel_logout_uri: "https://app.example/backchannel" });
    const browser = await signedIn();
    const issued = await tokens(client, browser);
    const postLogout = client.redirectUri.replace("/callback", "/bye");
    const ask = await browser.get(`/logout?${new URLSearchParams({ id_token_hint: issued.id_token, post_logout_redirect_uri: postLogout, state: "s1" })}`);
    expect(await ask.text()).toContain("Log out?");
    const confirmed = await browser.post("/logout/confirm", { post_logout_redirect_uri: postLogout, client_id: client.clientId, state: "s1" });
    expect(confirmed.headers.get("location")).toBe(`${postLogout}?state=s1`);
    expect((await browser.get("/account")).status).toBe(303);
    // The refresh token died with the session.
    const refreshed = await new Browser().fetch("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: issued.refresh_token }),
    });
    expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
    const queue = env.DELIVERY_QUEUE.get(env.DELIVERY_QUEUE.idFromName(`client:${client.clientId}`));
    const pending = await runInDurableObject(queue, async (_instance, state) => [...(await state.storage.list<Delivery>({ prefix: "delivery:" })).values()]);
    // The receiver is unreachable here, so the delivery stays queued for its retries.
    expect(pending).toHaveLength(1);
    const delivery = pending[0] as Delivery;
    expect(delivery.url).toBe("https://app.example/backchannel");
    const logoutToken = new URLSearchParams(delivery.body).get("logout_token") ?? "";
    expect(decodeProtectedHeader(logoutToken).typ).toBe("logout+jwt");
    expect(decodeJwt(logoutToken)).toMatchObject({
      aud: client.clientId,
      sid: decodeJwt(issued.id_token).sid,
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
  });

  it("never redirects to an unregistered URI or for a foreign id_token_hint", async () => {
    const client = await createTestClient();
    const browser = await signedIn();
    const issued = await tokens(client, browser);
    const foreign = await new SignJWT({ sub: "x", aud: client.clientId }).setProtectedHeader({ alg: "HS256" }).setIssuer(ORIGIN).sign(new Uint8Array(32));
    const a = await new Browser().get(`/logout?${new URLSearchParams({ id_token_hint: issued.id_token, post_logout_redirect_uri: "https://evil.example/" })}`);
    expect(a.headers.get("location")).toBeNull();
    const b = await new Browser().get(
      `/logout?${new URLSearchParams({ id_token_hint: foreign, post_logout_redirect_uri: client.redirectUri.replace("/callback", "/bye") })}`,
    );
    expect(b.headers.get("location")).toBeNull();
  });
});

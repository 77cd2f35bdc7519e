import { decodeJwt } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "./support/accounts";
import { type BrowserSession, openBrowser } from "./support/browser";
import { baseUrl, connectUrl } from "./support/http-client";
import {
  callbackInput,
  codeRequest,
  createUser,
  discover,
  pkceChecks,
  receiverForSuite,
  registerClient,
  verifyWithJose,
  walkInBrowser,
} from "./support/oidc-rp";

/**
 * Single sign-on across two apps and the end of it: RP-initiated logout from one app ends the Gatehouse
 * session and the other app hears about it by back-channel logout. openid-client drives both apps,
 * Chromium is the user's one browser, and the loopback receiver is both apps' callback and back channel.
 */

const rp = receiverForSuite();
let chromium: BrowserSession;

beforeAll(async () => {
  chromium = await openBrowser();
});
afterAll(async () => {
  await chromium?.close();
});

/** A first-party app with its own callback path (and back channel, if asked) on the receiver. */
async function app(name: string, extra: Record<string, unknown> = {}) {
  const redirectUri = `${rp.receiver.origin}/${name}/cb`;
  const client = await registerClient({
    client_name: `App ${name}`,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [`${rp.receiver.origin}/${name}/logged-out`],
    grant_types: ["authorization_code", "refresh_token"],
    scope: "openid email offline_access",
    first_party: true,
    ...extra,
  });
  const config = await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret));
  return { name, client, config, redirectUri };
}

type App = Awaited<ReturnType<typeof app>>;

/** One authorization request of `app` in the shared browser, up to the tokens; `shown` lists our pages on the way. */
async function signInTo(target: App, options: { account?: Account; extra?: Record<string, string>; maxAge?: number } = {}) {
  const checks = await pkceChecks();
  const url = oidc.buildAuthorizationUrl(target.config, { ...codeRequest(target.redirectUri, checks, "openid email offline_access"), ...options.extra });
  const { callback, shown } = await walkInBrowser(chromium.page, url, rp.receiver, { account: options.account, callbackPath: `/${target.name}/cb` });
  const tokens = await oidc.authorizationCodeGrant(target.config, callbackInput(rp.receiver, callback), {
    pkceCodeVerifier: checks.verifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    maxAge: options.maxAge,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("the token response has no ID token");
  return { tokens, shown, claims };
}

async function userinfoStatus(accessToken: string): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${connectUrl()}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error };
}

describe("OIDC Core §3.1.2.3 single sign-on, prompt=login and max_age", () => {
  it("gives app B a code without a credentials prompt after the user logged in to app A", async () => {
    await chromium.context.clearCookies();
    const user = await createUser("sso");
    const a = await app("sso-a");
    const b = await app("sso-b");
    const atA = await signInTo(a, { account: user });
    expect(atA.shown).toEqual(["/login"]);
    const atB = await signInTo(b);
    expect(atB.shown).toEqual([]);
    expect(atB.claims).toMatchObject({ sub: user.id, aud: b.client.client_id, auth_time: atA.claims.auth_time, sid: atA.claims.sid });
    // prompt=none works silently while the session lives (OIDC Core §3.1.2.1).
    const silent = await signInTo(b, { extra: { prompt: "none" } });
    expect(silent.shown).toEqual([]);
  });

  it("keeps the session for a max_age the session is younger than", async () => {
    await chromium.context.clearCookies();
    const a = await app("young-a");
    const first = await signInTo(a, { account: await createUser("sso-young") });
    const relaxed = await signInTo(a, { extra: { max_age: "3600" }, maxAge: 3600 });
    expect(relaxed.shown).toEqual([]);
    expect(relaxed.claims.auth_time).toBe(first.claims.auth_time);
  });

  // These three once looped between /authorize and /login in a browser with a session (GET /login skipped
  // the form for any visitor with a session); fixed in 8e4463d.
  it("asks for the password again with prompt=login", async () => {
    await chromium.context.clearCookies();
    const user = await createUser("sso-prompt-login");
    const a = await app("login-a");
    const first = await signInTo(a, { account: user });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const forced = await signInTo(a, { account: user, extra: { prompt: "login" } });
    expect(forced.shown).toEqual(["/login"]);
    expect(forced.claims.auth_time).toBeGreaterThan(first.claims.auth_time ?? Number.POSITIVE_INFINITY);
  });

  it("asks for the password again when the session is older than max_age", async () => {
    await chromium.context.clearCookies();
    const user = await createUser("sso-max-age");
    const a = await app("aged-a");
    const first = await signInTo(a, { account: user });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    // OIDC Core §3.1.2.1 max_age, and openid-client checks auth_time against it.
    const aged = await signInTo(a, { account: user, extra: { max_age: "1" }, maxAge: 1 });
    expect(aged.shown).toEqual(["/login"]);
    expect(aged.claims.auth_time).toBeGreaterThan(first.claims.auth_time ?? Number.POSITIVE_INFINITY);
  });

  it("demands a login when id_token_hint names another user than the session's", async () => {
    await chromium.context.clearCookies();
    const other = await createUser("sso-hint-other");
    const user = await createUser("sso-hint");
    const a = await app("hint-a");
    const theirs = await signInTo(a, { account: other });
    await chromium.context.clearCookies();
    await signInTo(a, { account: user });
    const hinted = await signInTo(a, { account: other, extra: { id_token_hint: theirs.tokens.id_token ?? "" } });
    expect(hinted.shown).toEqual(["/login"]);
    expect(hinted.claims.sub).toBe(other.id);
  });
});

describe("RP-Initiated Logout 1.0 §2–3 and Back-Channel Logout 1.0 §2.4–2.6", () => {
  it("logs out from app A, ends the Gatehouse session, redirects with state, and sends app B a logout token", async () => {
    await chromium.context.clearCookies();
    const user = await createUser("logout");
    const a = await app("out-a");
    const b = await app("out-b", { backchannel_logout_uri: `${rp.receiver.loopbackOrigin}/out-b/backchannel`, backchannel_logout_session_required: true });
    const atA = await signInTo(a, { account: user });
    const atB = await signInTo(b);
    expect(atB.shown).toEqual([]);
    const bIdToken = await verifyWithJose(atB.tokens.id_token ?? "", { audience: b.client.client_id });
    const from = rp.receiver.received.length;

    const endSession = oidc.buildEndSessionUrl(a.config, {
      id_token_hint: atA.tokens.id_token ?? "",
      post_logout_redirect_uri: `${rp.receiver.origin}/out-a/logged-out`,
      state: "bye-123",
    });
    const { callback, shown } = await walkInBrowser(chromium.page, endSession, rp.receiver, { callbackPath: "/out-a/logged-out" });
    expect(shown).toEqual(["/logout"]);
    expect(callback.url.searchParams.get("state")).toBe("bye-123");

    // Back-Channel Logout 1.0 §2.5: a POST of logout_token to B's registered URI.
    const delivery = await rp.receiver.waitFor((request) => request.url.pathname === "/out-b/backchannel", { from, timeoutMs: 20_000 });
    expect(delivery.method).toBe("POST");
    expect(delivery.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    const logoutToken = new URLSearchParams(delivery.body).get("logout_token") ?? "";
    // §2.6 validation, done the way a relying party would: signature, iss, aud, typ, then the claims.
    const verified = await verifyWithJose(logoutToken, { audience: b.client.client_id, typ: "logout+jwt" });
    expect(verified.payload).toMatchObject({
      iss: baseUrl(),
      aud: b.client.client_id,
      sub: user.id,
      sid: bIdToken.payload.sid,
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    // Signed like B's ID tokens (§2.4), RS256 by default.
    expect(verified.protectedHeader.alg).toBe(bIdToken.protectedHeader.alg);
    expect(typeof verified.payload.iat).toBe("number");
    expect(verified.payload.exp).toBeGreaterThan(verified.payload.iat ?? 0);
    expect(typeof verified.payload.jti).toBe("string");
    expect(verified.payload.nonce).toBeUndefined();
    // App A has no back channel: nothing else was delivered.
    expect(rp.receiver.received.slice(from).filter((request) => request.url.pathname.endsWith("/backchannel"))).toHaveLength(1);

    // The session is over: B's tokens of that session stop working, and B's next request asks for the password.
    expect(await userinfoStatus(atB.tokens.access_token)).toEqual({ status: 401, error: "invalid_token" });
    const refused = await oidc.refreshTokenGrant(b.config, atB.tokens.refresh_token ?? "").catch((caught: unknown) => caught);
    expect((refused as oidc.ResponseBodyError).error).toBe("invalid_grant");
    const refusedA = await oidc.refreshTokenGrant(a.config, atA.tokens.refresh_token ?? "").catch((caught: unknown) => caught);
    expect((refusedA as oidc.ResponseBodyError).error).toBe("invalid_grant");
    const again = await signInTo(b, { account: user });
    expect(again.shown).toEqual(["/login"]);
    expect(decodeJwt(again.tokens.id_token ?? "").sid).not.toBe(bIdToken.payload.sid);
  });
});

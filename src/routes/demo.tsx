import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { base64UrlEncode, utf8 } from "../lib/encoding";
import { randomToken } from "../lib/random";
import { decryptSecret, encryptSecret } from "../services/oidc/key-encryption";
import { Layout } from "../ui/layout";
import { pageContext } from "./page-helpers";

/** The demo relying party's client id; `npm start` registers it with DEMO_CLIENT_SECRET from .dev.vars. */
export const DEMO_CLIENT_ID = "gatehouse-demo";
const FLOW_COOKIE = "__Host-gh_demo_flow";
const RESULT_COOKIE = "__Host-gh_demo_result";

/** Calls this Worker's own app in-process (a Worker cannot reliably fetch its own public URL). */
type CallApp = (request: Request, c: Context<AppEnv>) => Promise<Response>;

/**
 * A tiny relying party (development only) that shows the whole flow in the browser: authorization
 * request with PKCE, state and nonce; code exchange at the real /token endpoint; userinfo; logout.
 */
export function demoRoutes(callApp: CallApp) {
  const redirectUri = (c: Context<AppEnv>) => `${c.get("config").issuerUrl}/demo/callback`;
  const secret = (c: Context<AppEnv>) => c.env.DEMO_CLIENT_SECRET ?? "";
  const seal = (c: Context<AppEnv>, value: unknown) => encryptSecret(c.get("config").keyEncryptionKey, "demo", JSON.stringify(value));
  const open = async <T,>(c: Context<AppEnv>, name: string): Promise<T | null> => {
    const sealed = getCookie(c, name);
    if (!sealed) return null;
    try {
      return JSON.parse(await decryptSecret(c.get("config").keyEncryptionKey, "demo", sealed)) as T;
    } catch {
      return null;
    }
  };

  return new Hono<AppEnv>()
    .get("/demo", async (c) => {
      const result = await open<{ claims: Record<string, unknown>; userinfo: unknown; idToken: string }>(c, RESULT_COOKIE);
      const page = pageContext(c);
      const issuer = c.get("config").issuerUrl;
      return c.html(
        <Layout page={page} title="Demo app">
          <div class="card">
            <h1>Demo app</h1>
            <p>A relying party of this Gatehouse, using the authorization code flow with PKCE.</p>
            {result ? (
              <>
                <p>
                  Logged in as <strong>{String(result.claims.email ?? result.claims.sub)}</strong>.
                </p>
                <h2>ID token claims</h2>
                <pre class="message-text">{JSON.stringify(result.claims, null, 2)}</pre>
                <h2>UserInfo</h2>
                <pre class="message-text">{JSON.stringify(result.userinfo, null, 2)}</pre>
                <a
                  class="button"
                  href={`${issuer}/logout?${new URLSearchParams({ id_token_hint: result.idToken, post_logout_redirect_uri: `${issuer}/demo/logged-out`, state: "demo" })}`}
                >
                  Log out
                </a>
              </>
            ) : (
              <a class="button" href="/demo/login">
                Log in with Gatehouse
              </a>
            )}
          </div>
        </Layout>,
      );
    })
    .get("/demo/login", async (c) => {
      const verifier = randomToken(32);
      const state = randomToken(16);
      const nonce = randomToken(16);
      const challenge = base64UrlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(verifier))));
      setCookie(c, FLOW_COOKIE, await seal(c, { verifier, state, nonce }), { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: 600 });
      const params = new URLSearchParams({
        response_type: "code",
        client_id: DEMO_CLIENT_ID,
        redirect_uri: redirectUri(c),
        scope: "openid profile email",
        state,
        nonce,
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      return c.redirect(`/authorize?${params}`, 303);
    })
    .get("/demo/callback", async (c) => {
      const flow = await open<{ verifier: string; state: string; nonce: string }>(c, FLOW_COOKIE);
      deleteCookie(c, FLOW_COOKIE, { path: "/", secure: true });
      const code = c.req.query("code");
      if (!flow || c.req.query("state") !== flow.state || !code || c.req.query("iss") !== c.get("config").issuerUrl) return c.redirect("/demo", 303);
      const tokenResponse = await callApp(
        new Request(`${c.get("config").issuerUrl}/token`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${btoa(`${DEMO_CLIENT_ID}:${encodeURIComponent(secret(c))}`)}`,
          },
          body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri(c), code_verifier: flow.verifier }),
        }),
        c,
      );
      const tokens = (await tokenResponse.json()) as { id_token?: string; access_token?: string };
      if (!tokenResponse.ok || !tokens.id_token || !tokens.access_token) return c.redirect("/demo", 303);
      // Received straight from the token endpoint, so the signature check may be skipped (OIDC Core §3.1.3.7 item 6).
      const claims = JSON.parse(
        new TextDecoder().decode(Uint8Array.from(atob((tokens.id_token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0))),
      ) as Record<string, unknown>;
      if (claims.nonce !== flow.nonce) return c.redirect("/demo", 303);
      const userinfo = await (
        await callApp(new Request(`${c.get("config").issuerUrl}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } }), c)
      ).json();
      setCookie(c, RESULT_COOKIE, await seal(c, { claims, userinfo, idToken: tokens.id_token }), {
        path: "/",
        secure: true,
        httpOnly: true,
        sameSite: "Lax",
        maxAge: 600,
      });
      return c.redirect("/demo", 303);
    })
    .get("/demo/logged-out", (c) => {
      deleteCookie(c, RESULT_COOKIE, { path: "/", secure: true });
      return c.redirect("/demo", 303);
    });
}

import { env } from "cloudflare:workers";
import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/hashing";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "./helpers/accounts";
import { basicAuth, createTestClient, pkcePair, type TestClient } from "./helpers/clients";
import { Browser, ORIGIN } from "./helpers/http";
import { authorizeUrl } from "./helpers/oidc";

const ADMIN = "test-admin-token-0123456789abcdef0123";

async function authorize(browser: Browser, client: TestClient, extra: Record<string, string> = {}) {
  const { url, verifier } = await authorizeUrl(client, { state: undefined, nonce: undefined, ...extra });
  return { response: await browser.get(url), verifier };
}

async function redeem(client: TestClient, code: string, verifier: string) {
  const response = await new Browser().fetch("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  return (await response.json()) as Record<string, string>;
}

describe("OIDC Core §3.1.2.1: prompt=login and max_age demand a fresh login", () => {
  it("sends a logged-in user to the login page for prompt=login and max_age=0, then issues a code after it", async () => {
    const client = await createTestClient();
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const demands: Record<string, string>[] = [{ prompt: "login" }, { max_age: "0" }];
    for (const extra of demands) {
      const { response } = await authorize(browser, client, extra);
      const login = new URL(response.headers.get("location") ?? "", ORIGIN);
      expect(login.pathname).toBe("/login");
      const returnTo = login.searchParams.get("return_to") ?? "";
      // Without a new login the paused request still asks for one.
      expect(new URL((await browser.get(returnTo)).headers.get("location") ?? "", ORIGIN).pathname).toBe("/login");
      await new Promise((resolve) => setTimeout(resolve, 5));
      await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
      const back = await browser.get(returnTo);
      expect(new URL(back.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
    }
  });

  it("refuses a tampered interaction", async () => {
    const client = await createTestClient();
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    const { response } = await authorize(browser, client, { prompt: "login" });
    const returnTo = new URL(response.headers.get("location") ?? "", ORIGIN).searchParams.get("return_to") ?? "";
    const tampered = returnTo.replace(/interaction=([^.]+)\./, (_all, body: string) => `interaction=${body.slice(0, -2)}AA.`);
    expect((await browser.get(tampered)).status).toBe(400);
  });
});

describe("RFC 6749 §4.1.2: authorization codes", () => {
  it("expire after 60 seconds", async () => {
    const client = await createTestClient();
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    const { response, verifier } = await authorize(browser, client);
    const code = new URL(response.headers.get("location") ?? "").searchParams.get("code") ?? "";
    await env.DB.prepare("UPDATE authorization_codes SET expires_at = ? WHERE code_hash = ?")
      .bind(Date.now() - 1, await sha256Hex(code))
      .run();
    expect((await redeem(client, code, verifier)).error).toBe("invalid_grant");
  });

  it("let exactly one of two parallel redemptions win", async () => {
    const client = await createTestClient();
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    const { response, verifier } = await authorize(browser, client);
    const code = new URL(response.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const results = await Promise.all([redeem(client, code, verifier), redeem(client, code, verifier)]);
    expect(results.filter((result) => result.access_token).length).toBe(1);
    expect(results.filter((result) => result.error === "invalid_grant").length).toBe(1);
  });

  it("refuse a wrong PKCE verifier", async () => {
    const client = await createTestClient();
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    const { response } = await authorize(browser, client);
    const code = new URL(response.headers.get("location") ?? "").searchParams.get("code") ?? "";
    expect((await redeem(client, code, (await pkcePair()).verifier)).error).toBe("invalid_grant");
  });
});

describe("key rotation", () => {
  it("signs after rotation only with a key that was already published", async () => {
    const before = (await (await new Browser().get("/jwks.json")).json()) as { keys: { kid: string }[] };
    const rotated = await new Browser().fetch("/admin/v1/keys/rotate", { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });
    expect(rotated.status).toBe(200);
    const { activated, retired } = (await rotated.json()) as { activated: string[]; retired: string[] };
    const published = before.keys.map((key) => key.kid);
    expect(activated.every((kid) => published.includes(kid))).toBe(true);
    const after = (await (await new Browser().get("/jwks.json")).json()) as { keys: { kid: string }[] };
    expect(retired.every((kid) => after.keys.some((key) => key.kid === kid))).toBe(true);
    const client = await createTestClient();
    const response = await new Browser().fetch("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    const { access_token } = (await response.json()) as { access_token: string };
    expect(activated).toContain(decodeProtectedHeader(access_token).kid);
  });
});

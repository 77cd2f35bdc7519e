import { env } from "cloudflare:workers";
import { importSPKI, jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { uniqueEmail } from "../helpers/outbox";
import { FakeUpstream } from "./fake-upstream";
import { Browser, callback, startLogin } from "./flow-helpers";
import { admin, uniqueProviderId } from "./helpers";

async function register(type: string, fields: Record<string, unknown>): Promise<string> {
  const id = uniqueProviderId(type);
  const response = await admin("/admin/v1/identity-providers", {
    json: { id, type, display_name: type, client_id: "social-client", trust_email: true, ...fields },
  });
  expect(response.status).toBe(201);
  return id;
}

const userByEmail = (email: string) =>
  env.DB.prepare("SELECT id, email_verified FROM users WHERE email = ?").bind(email).first<{ id: string; email_verified: number }>();

describe("GitHub (OAuth through arctic, profile from its API)", () => {
  let restore: (() => void) | null = null;
  afterEach(() => restore?.());

  /** github.com and api.github.com behind an intercepted fetch. */
  function fakeGitHub(options: { userStatus?: number; tokenError?: string; emails?: unknown[]; id?: number; hang?: boolean } = {}) {
    const calls: Request[] = [];
    const original = globalThis.fetch;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.host !== "github.com" && url.host !== "api.github.com") return original(input, init);
      calls.push(request);
      if (url.pathname === "/login/oauth/access_token") {
        // arctic passes no signal: only our own deadline ends the wait.
        if (options.hang) return new Promise<Response>(() => {});
        const form = new URLSearchParams(await request.text());
        // Like GitHub: a refused code is a 200 carrying an OAuth error.
        if (options.tokenError || form.get("code") !== "gh-code") return Response.json({ error: options.tokenError ?? "bad_verification_code" });
        return Response.json({ access_token: "gh-token", token_type: "bearer", scope: "read:user,user:email" });
      }
      if (request.headers.get("authorization") !== "Bearer gh-token") return new Response("unauthorized", { status: 401 });
      if (url.pathname === "/user")
        return options.userStatus
          ? new Response("trouble", { status: options.userStatus })
          : Response.json({ id: options.id ?? 4242, login: "octo", name: "Octo Cat" });
      if (url.pathname === "/user/emails") return Response.json(options.emails ?? []);
      return new Response("not found", { status: 404 });
    });
    restore = () => spy.mockRestore();
    return calls;
  }

  it("logs in with the verified primary address and the numeric id as subject", async () => {
    const id = await register("github", { client_secret: "gh-secret" });
    const email = uniqueEmail();
    const githubId = Math.floor(Math.random() * 1e9);
    fakeGitHub({
      id: githubId,
      emails: [
        { email: "old@example.com", primary: false, verified: true },
        { email, primary: true, verified: true },
      ],
    });
    const browser = new Browser();
    const authorization = new URL(await startLogin(browser, id));
    expect(authorization.origin + authorization.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(authorization.searchParams.get("redirect_uri")).toBe(`http://localhost:8787/login/${id}/callback`);
    const state = authorization.searchParams.get("state") ?? "";
    const response = await callback(browser, id, new URLSearchParams({ code: "gh-code", state }));
    expect(response.status).toBe(303);
    expect(await userByEmail(email)).toMatchObject({ email_verified: 1 });
    const identity = await env.DB.prepare("SELECT iss, sub FROM federated_identities WHERE provider_id = ?").bind(id).first();
    expect(identity).toEqual({ iss: "https://github.com", sub: String(githubId) });
    // Replaying the callback finds no state.
    expect((await callback(browser, id, new URLSearchParams({ code: "gh-code", state }))).status).toBe(400);
  });

  it("denied consent, a wrong state, a refused code and a failing user API end on friendly pages", async () => {
    const id = await register("github", { client_secret: "gh-secret" });
    const browser = new Browser();
    fakeGitHub({ userStatus: 502 });
    let state = new URL(await startLogin(browser, id)).searchParams.get("state") ?? "";
    const denied = await callback(browser, id, new URLSearchParams({ error: "access_denied", state }));
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain("cancelled");

    expect((await callback(browser, id, new URLSearchParams({ code: "gh-code", state: "not-the-state" }))).status).toBe(400);

    state = new URL(await startLogin(browser, id)).searchParams.get("state") ?? "";
    expect((await callback(browser, id, new URLSearchParams({ code: "wrong-code", state }))).status).toBe(400);

    state = new URL(await startLogin(browser, id)).searchParams.get("state") ?? "";
    expect((await callback(browser, id, new URLSearchParams({ code: "gh-code", state }))).status).toBe(502);
  });

  it("an unverified GitHub address creates no account (sign up with email, then link)", async () => {
    const id = await register("github", { client_secret: "gh-secret" });
    const email = uniqueEmail();
    fakeGitHub({ id: Math.floor(Math.random() * 1e9), emails: [{ email, primary: true, verified: false }] });
    const browser = new Browser();
    const state = new URL(await startLogin(browser, id)).searchParams.get("state") ?? "";
    const response = await callback(browser, id, new URLSearchParams({ code: "gh-code", state }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("could not confirm");
    expect(await userByEmail(email)).toBeNull();
  });
});

describe("a GitHub token endpoint that never answers", () => {
  it("times out into a friendly 502", { timeout: 30_000 }, async () => {
    const id = await register("github", { client_secret: "gh-secret" });
    const original = globalThis.fetch;
    const spy = vi
      .spyOn(globalThis, "fetch")
      .mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) =>
        new URL(new Request(input, init).url).host === "github.com" ? new Promise<Response>(() => {}) : original(input, init),
      );
    try {
      const browser = new Browser();
      const state = new URL(await startLogin(browser, id)).searchParams.get("state") ?? "";
      const started = Date.now();
      expect((await callback(browser, id, new URLSearchParams({ code: "gh-code", state }))).status).toBe(502);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("Microsoft Entra ID (one tenant)", () => {
  it("validates tokens against the tenant's issuer", async () => {
    const tenant = crypto.randomUUID();
    const entra = await new FakeUpstream("entra", { issuer: `https://login.microsoftonline.com/${tenant}/v2.0`, clientId: "social-client" }).start();
    try {
      const id = await register("microsoft", { client_secret: entra.clientSecret, tenant });
      const browser = new Browser();
      const authorization = await startLogin(browser, id);
      expect(authorization.startsWith(`https://login.microsoftonline.com/${tenant}/v2.0/authorize`)).toBe(true);
      expect(
        (await callback(browser, id, entra.consent(authorization, { sub: `m-${crypto.randomUUID()}`, email: uniqueEmail(), email_verified: true }))).status,
      ).toBe(303);
      // A token from another tenant (another issuer) does not verify.
      entra.misbehave = { idToken: { iss: `https://login.microsoftonline.com/${crypto.randomUUID()}/v2.0` } };
      const again = await startLogin(browser, id);
      expect((await callback(browser, id, entra.consent(again, { sub: `m-${crypto.randomUUID()}`, email: uniqueEmail(), email_verified: true }))).status).toBe(
        400,
      );
    } finally {
      entra.stop();
    }
  });
});

describe("Google (OpenID Connect at its fixed issuer)", () => {
  it("validates Google's ID token like any OIDC provider", async () => {
    const google = await new FakeUpstream("google", { issuer: "https://accounts.google.com", clientId: "social-client" }).start();
    try {
      const id = await register("google", { client_secret: google.clientSecret });
      const email = uniqueEmail();
      const browser = new Browser();
      const authorization = await startLogin(browser, id);
      expect(new URL(authorization).origin).toBe("https://accounts.google.com");
      expect((await callback(browser, id, google.consent(authorization, { sub: `g-${crypto.randomUUID()}`, email, email_verified: true }))).status).toBe(303);
      google.misbehave = { idToken: { iss: "https://accounts.google.evil" } };
      const again = await startLogin(browser, id);
      expect((await callback(browser, id, google.consent(again, { sub: `g-${crypto.randomUUID()}`, email: uniqueEmail(), email_verified: true }))).status).toBe(
        400,
      );
    } finally {
      google.stop();
    }
  });
});

describe("Apple (signed client secret, form_post callback)", () => {
  it("posts back cross-site, authenticates with an ES256 client secret JWT, and accepts Apple's string email_verified", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const pem = (label: string, der: ArrayBuffer) =>
      `-----BEGIN ${label}-----\n${btoa(String.fromCharCode(...new Uint8Array(der)))
        .match(/.{1,64}/g)
        ?.join("\n")}\n-----END ${label}-----\n`;
    const privateKey = pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
    const publicKey = await importSPKI(pem("PUBLIC KEY", (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer), "ES256");
    const secrets: string[] = [];
    const apple = await new FakeUpstream("apple", {
      issuer: "https://appleid.apple.com",
      clientId: "com.example.web",
      checkPostedSecret: async (secret) => {
        secrets.push(secret);
        return jwtVerify(secret, publicKey, { issuer: "TEAM123456", subject: "com.example.web", audience: "https://appleid.apple.com" }).then(
          () => true,
          () => false,
        );
      },
    }).start();
    try {
      const id = uniqueProviderId("apple");
      const created = await admin("/admin/v1/identity-providers", {
        json: {
          id,
          type: "apple",
          display_name: "Apple",
          client_id: "com.example.web",
          team_id: "TEAM123456",
          key_id: "KEY1234567",
          private_key: privateKey,
          trust_email: true,
        },
      });
      expect(created.status).toBe(201);
      const browser = new Browser();
      const authorization = new URL(await startLogin(browser, id));
      expect(authorization.searchParams.get("response_mode")).toBe("form_post");
      const email = uniqueEmail();
      const parameters = apple.consent(authorization.toString(), { sub: `a-${crypto.randomUUID()}`, email, email_verified: "true" });
      const response = await browser.fetch(`/login/${id}/callback`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://appleid.apple.com" },
        body: parameters,
      });
      expect(response.status).toBe(303);
      expect(secrets).toHaveLength(1);
      expect(await userByEmail(email)).toMatchObject({ email_verified: 1 });
    } finally {
      apple.stop();
    }
  });
});

describe("GitLab and LinkedIn (OpenID Connect at fixed issuers)", () => {
  it.each([
    ["gitlab", "https://gitlab.com", false],
    ["linkedin", "https://www.linkedin.com/oauth", true],
  ] as const)("%s logs in through its issuer", async (type, issuer, postsSecret) => {
    const secret = `secret-${crypto.randomUUID()}`;
    const fake = await new FakeUpstream(type, {
      issuer,
      clientId: "social-client",
      ...(postsSecret ? { checkPostedSecret: async (posted: string) => posted === secret } : {}),
    }).start();
    try {
      const id = await register(type, { client_secret: postsSecret ? secret : fake.clientSecret });
      const browser = new Browser();
      const authorization = await startLogin(browser, id);
      expect(authorization.startsWith(`${issuer}/authorize`)).toBe(true);
      const email = uniqueEmail();
      expect((await callback(browser, id, fake.consent(authorization, { sub: `${type}-${crypto.randomUUID()}`, email, email_verified: true }))).status).toBe(
        303,
      );
      expect(await userByEmail(email)).toMatchObject({ email_verified: 1 });
    } finally {
      fake.stop();
    }
  });
});

describe("Discord and Facebook (OAuth through arctic)", () => {
  let restore: (() => void) | null = null;
  afterEach(() => restore?.());

  /** One provider's token endpoint and user API behind an intercepted fetch; records the token request. */
  function intercept(host: string, tokenPath: string, userPath: string, user: Record<string, unknown>) {
    const tokenForms: URLSearchParams[] = [];
    const original = globalThis.fetch;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.host !== host) return original(input, init);
      if (url.pathname === tokenPath) {
        tokenForms.push(new URLSearchParams(await request.text()));
        return Response.json({ access_token: "social-token", token_type: "bearer", expires_in: 3600 });
      }
      if (url.pathname === userPath && request.headers.get("authorization") === "Bearer social-token") return Response.json(user);
      return new Response("not found", { status: 404 });
    });
    restore = () => spy.mockRestore();
    return tokenForms;
  }

  it("Discord: PKCE verifier sent, verified address accepted", async () => {
    const id = await register("discord", { client_secret: "discord-secret" });
    const email = uniqueEmail();
    const discordId = String(Math.floor(Math.random() * 1e12));
    const forms = intercept("discord.com", "/api/oauth2/token", "/api/users/@me", { id: discordId, username: "dee", email, verified: true });
    const browser = new Browser();
    const authorization = new URL(await startLogin(browser, id));
    expect(authorization.host).toBe("discord.com");
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    const response = await callback(browser, id, new URLSearchParams({ code: "d-code", state: authorization.searchParams.get("state") ?? "" }));
    expect(response.status).toBe(303);
    expect(forms[0]?.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await env.DB.prepare("SELECT sub FROM federated_identities WHERE provider_id = ?").bind(id).first("sub")).toBe(discordId);
  });

  it("Facebook: states no verification, so its address creates no account", async () => {
    const id = await register("facebook", { client_secret: "fb-secret" });
    const email = uniqueEmail();
    intercept("graph.facebook.com", "/v16.0/oauth/access_token", "/me", { id: "10101", name: "Eff Bee", email });
    const browser = new Browser();
    const authorization = new URL(await startLogin(browser, id));
    expect(authorization.host).toBe("www.facebook.com");
    const response = await callback(browser, id, new URLSearchParams({ code: "f-code", state: authorization.searchParams.get("state") ?? "" }));
    expect(response.status).toBe(400);
    expect(await userByEmail(email)).toBeNull();
  });
});

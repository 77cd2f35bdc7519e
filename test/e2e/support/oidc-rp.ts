import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyResult, jwtVerify } from "jose";
import * as oidc from "openid-client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import type { Account } from "./accounts";
import { baseUrl, connectUrl, randomIp } from "./http-client";
import { newEmail, newPassword } from "./outbox";

/**
 * The relying-party side of the end-to-end OIDC tests: a loopback receiver standing in for the apps'
 * callback and back-channel endpoints, clients and users made through the admin API, openid-client
 * configured for our plain-HTTP issuer, and the browser walk through login and consent.
 */

export interface Received {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  /** `http://localhost:<port>`: what browsers are sent to (Chromium maps localhost to 127.0.0.1). */
  origin: string;
  /** `http://127.0.0.1:<port>`: for the worker's own outbound calls (back-channel logout). */
  loopbackOrigin: string;
  received: Received[];
  /** Resolves with the first request at or after index `from` that `match` accepts. */
  waitFor(match: (request: Received) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<Received>;
  close(): Promise<void>;
}

/** A tiny HTTP server on 127.0.0.1 that records every request and answers 200. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: new URL(request.url ?? "/", "http://receiver"),
        headers: request.headers,
        body: Buffer.concat(parts).toString("utf8"),
      });
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      response.end("<!doctype html><title>relying party</title><p>received</p>");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    loopbackOrigin: `http://127.0.0.1:${port}`,
    received,
    async waitFor(match, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 15_000);
      for (;;) {
        const found = received.slice(options.from ?? 0).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`the receiver got no matching request (it has ${received.length})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * For a test file: a loopback receiver started before its tests and closed after them; `redirectUri` is
 * its `/cb`. Read both in hooks and tests, once the file's `beforeAll` hooks ran.
 */
export function receiverForSuite(): { readonly receiver: Receiver; readonly redirectUri: string } {
  let started: Receiver | undefined;
  beforeAll(async () => {
    started = await startReceiver();
  });
  afterAll(async () => {
    await started?.close();
  });
  const receiver = (): Receiver => {
    if (!started) throw new Error("the receiver starts in beforeAll");
    return started;
  };
  return {
    get receiver() {
      return receiver();
    },
    get redirectUri() {
      return `${receiver().origin}/cb`;
    },
  };
}

/** A call to the admin API with the run's token; answers status and parsed JSON body. */
export async function adminApi<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${connectUrl()}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${inject("adminToken")}`, "content-type": "application/json", "cf-connecting-ip": randomIp() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  [field: string]: unknown;
}

/** Registers a client through `POST /admin/v1/clients`; fails the test unless it is created. */
export async function registerClient(metadata: Record<string, unknown>): Promise<RegisteredClient> {
  const { status, body } = await adminApi<RegisteredClient>("POST", "/clients", { client_name: "E2E relying party", ...metadata });
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

/** A verified user with a password, made through `POST /admin/v1/users` (no mail round trip). */
export async function createUser(label: string): Promise<Account & { id: string }> {
  const account = { email: newEmail(label), password: newPassword() };
  const { status, body } = await adminApi<{ id: string }>("POST", "/users", { ...account, email_verified: true });
  expect(status, JSON.stringify(body)).toBe(201);
  return { ...account, id: body.id };
}

/**
 * Node-side requests of the relying-party libraries: the issuer URL (`http://localhost:<port>`) is
 * rewritten to the address the worker listens on (see http-client.ts), and each request carries a
 * `CF-Connecting-IP` of its own, so per-source limits never leak between tests.
 */
export const loopbackFetch: oidc.CustomFetch = (url, options) =>
  fetch(url.startsWith(baseUrl()) ? connectUrl() + url.slice(baseUrl().length) : url, {
    ...options,
    headers: { ...options.headers, "cf-connecting-ip": randomIp() },
  } as RequestInit);

export interface Exchange {
  url: string;
  method: string;
  status: number;
  headers: Headers;
}

/** `loopbackFetch` that also notes every response (status and headers) in `log`, for assertions on the wire. */
export function recordingFetch(log: Exchange[]): oidc.CustomFetch {
  return async (url, options) => {
    const response = await loopbackFetch(url, options);
    log.push({ url, method: options.method, status: response.status, headers: response.headers });
    return response;
  };
}

/** openid-client configured by discovery of our issuer, plain HTTP allowed (the e2e worker runs in development). */
export function discover(
  clientId: string,
  metadata?: Partial<oidc.ClientMetadata> | string,
  auth?: oidc.ClientAuth,
  log?: Exchange[],
): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(baseUrl()), clientId, metadata, auth, {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: log ? recordingFetch(log) : loopbackFetch,
  });
}

/** A fresh code verifier, its S256 challenge, state and nonce. */
export async function pkceChecks(): Promise<{ verifier: string; challenge: string; state: string; nonce: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  return { verifier, challenge: await oidc.calculatePKCECodeChallenge(verifier), state: oidc.randomState(), nonce: oidc.randomNonce() };
}

/** The parameters of an ordinary code + PKCE request. */
export function codeRequest(redirectUri: string, checks: { challenge: string; state: string; nonce: string }, scope = "openid email profile") {
  return {
    redirect_uri: redirectUri,
    scope,
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: checks.challenge,
    code_challenge_method: "S256",
  };
}

const jwks = () => createRemoteJWKSet(new URL(`${connectUrl()}/jwks.json`));

/** Verifies a JWT of ours independently of openid-client: signature against `/jwks.json`, issuer, audience, `typ`. */
export function verifyWithJose(token: string, options: { audience?: string; typ?: string }): Promise<JWTVerifyResult<JWTPayload>> {
  return jwtVerify(token, jwks(), { issuer: baseUrl(), audience: options.audience, typ: options.typ, algorithms: ["ES256", "EdDSA", "RS256"] });
}

/** OIDC Core §3.1.3.6: base64url of the left half of the SHA-256 of the access token (RS256/ES256). */
export function atHash(accessToken: string): string {
  const digest = createHash("sha256").update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

export interface BrowserWalk {
  /** The request the browser made to the relying party's callback (GET for query, POST for form_post). */
  callback: Received;
  /** Our pages the browser showed on the way (`/login`, `/consent`), in order. */
  shown: string[];
}

/**
 * Opens an authorization (or logout) URL in the browser and goes through what Gatehouse shows: the
 * login form (with `account`), the consent page (`consent` picks the button), the logout confirmation,
 * until the browser reaches the receiver at `callbackPath`. Fails on any other page.
 */
export async function walkInBrowser(
  page: Page,
  url: URL | string,
  receiver: Receiver,
  options: { account?: Account; consent?: "Allow" | "Deny"; callbackPath?: string } = {},
): Promise<BrowserWalk> {
  const from = receiver.received.length;
  const callbackPath = options.callbackPath ?? "/cb";
  const shown: string[] = [];
  const atReceiver = (target: URL) => target.origin === receiver.origin;
  const leaving = (path: string) => (target: URL) => atReceiver(target) || target.pathname !== path;
  await page.goto(url.toString());
  for (let step = 0; step < 6; step++) {
    const current = new URL(page.url());
    if (atReceiver(current)) break;
    const path = current.pathname;
    if (path === "/login") {
      shown.push(path);
      if (!options.account) throw new Error("the browser was asked to log in, and the test gave no account");
      await page.fill("#email", options.account.email);
      await page.fill("#password", options.account.password);
      await Promise.all([page.waitForURL(leaving("/login")), page.click('form[action="/login"] button[type="submit"]')]);
    } else if (path === "/consent") {
      shown.push(path);
      if (!options.consent) throw new Error("the browser was shown the consent page, and the test gave no answer");
      await Promise.all([page.waitForURL(leaving("/consent")), page.getByRole("button", { name: options.consent, exact: true }).click()]);
    } else if (path === "/logout") {
      shown.push(path);
      await Promise.all([page.waitForURL(leaving("/logout")), page.getByRole("button", { name: "Log out", exact: true }).click()]);
    } else {
      // response_mode=form_post: the page at /authorize submits itself to the redirect URI. Anything else is a dead end.
      const left = await page.waitForURL(atReceiver, { timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (!left) throw new Error(`the browser stopped at ${current.href}: ${((await page.locator("body").textContent()) ?? "").slice(0, 500)}`);
    }
  }
  const callback = await receiver.waitFor((request) => request.url.pathname === callbackPath, { from });
  return { callback, shown };
}

/** The callback as the relying party saw it: a URL for a query response, a Request for form_post. */
export function callbackInput(receiver: Receiver, callback: Received): URL | Request {
  const url = new URL(callback.url.pathname + callback.url.search, receiver.origin);
  if (callback.method === "GET") return url;
  return new Request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: callback.body });
}

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import worker from "../src/index";
import { pathOf } from "../src/routes/machine-lane";
import { basicAuth, createTestClient } from "./helpers/clients";
import { ORIGIN } from "./helpers/http";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const MAX_BODY_BYTES = 64 * 1024;

function post(init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}/token`, { method: "POST", ...init }));
}

function expectApiHeaders(response: Response): void {
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("pragma")).toBe("no-cache");
  expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9_-]{16}$/);
  expect(response.headers.get("vary")).toContain("Origin");
}

/** The token endpoint answered before the app (routes/machine-lane.ts) behaves as the app's route did. */
describe("POST /token in the machine lane", () => {
  it("finds the path of absolute URLs the way the router does", () => {
    expect(pathOf("https://id.example/token")).toBe("/token");
    expect(pathOf("https://id.example/token?x=1")).toBe("/token");
    expect(pathOf("https://id.example")).toBe("/");
    expect(pathOf("http://127.0.0.1:8787/.well-known/openid-configuration")).toBe("/.well-known/openid-configuration");
    expect(pathOf("https://id.example/token/")).toBe("/token/");
  });

  it("issues a token with the API security headers and a request id", async () => {
    const client = await createTestClient();
    const response = await post({ headers: { ...FORM, authorization: basicAuth(client) }, body: "grant_type=client_credentials&scope=api%3Aread" });
    expect(response.status).toBe(200);
    expectApiHeaders(response);
    expect(await response.json()).toMatchObject({ token_type: "Bearer", scope: "api:read" });
  });

  it("allows CORS only for an origin the public client registered", async () => {
    const client = await createTestClient({ token_endpoint_auth_method: "none", application_type: "web" });
    const response = await post({ headers: { ...FORM, origin: "https://evil.example" }, body: `grant_type=client_credentials&client_id=${client.clientId}` });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a body that is not a form, a repeated parameter and a missing grant type with RFC 6749 errors", async () => {
    const client = await createTestClient();
    const cases: [Record<string, string>, string, string][] = [
      [
        { "content-type": "application/json", authorization: basicAuth(client) },
        '{"grant_type":"client_credentials"}',
        "must be application/x-www-form-urlencoded",
      ],
      [{ ...FORM, authorization: basicAuth(client) }, "grant_type=client_credentials&grant_type=client_credentials", "parameter grant_type is repeated"],
      [{ ...FORM, authorization: basicAuth(client) }, "scope=api%3Aread", "grant_type is required"],
    ];
    for (const [headers, body, description] of cases) {
      const response = await post({ headers, body });
      expect(response.status).toBe(400);
      expectApiHeaders(response);
      expect(await response.json()).toEqual({ error: "invalid_request", error_description: expect.stringContaining(description) });
    }
  });

  it("refuses an announced body over the limit with 413, before reading it", async () => {
    const response = await post({ headers: { ...FORM, "content-length": String(MAX_BODY_BYTES + 1) }, body: "x".repeat(MAX_BODY_BYTES + 1) });
    expect(response.status).toBe(413);
    expectApiHeaders(response);
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "request body too large" });
  });

  it("refuses a streamed body (no length announced) once it grows over the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(8192));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await post({ headers: FORM, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("leaves the preflight and other methods to the app", async () => {
    const preflight = await exports.default.fetch(new Request(`${ORIGIN}/token`, { method: "OPTIONS", headers: { origin: "https://spa.example" } }));
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, POST");
    const get = await exports.default.fetch(new Request(`${ORIGIN}/token`));
    expect(get.status).toBe(404);
  });

  it("a failing GET lane is answered by the app's error handler (request id, logged), and a broken configuration is a server_error on /token", async () => {
    const broken = { ...env, ISSUER_URL: "not a url" } as typeof env;
    const ctx = createExecutionContext();
    const jwks = await worker.fetch(new Request(`${ORIGIN}/jwks.json`), broken, ctx);
    expect(jwks.status).toBe(500);
    expect(jwks.headers.get("x-request-id")).toBeTruthy();
    const token = await worker.fetch(new Request(`${ORIGIN}/token`, { method: "POST", headers: FORM, body: "grant_type=client_credentials" }), broken, ctx);
    await waitOnExecutionContext(ctx);
    expect(token.status).toBe(500);
    expect(await token.json()).toEqual({ error: "server_error", error_description: "the server could not complete the request" });
  });

  it("answers the same through the app itself (the app mounts the lane's handler)", async () => {
    const client = await createTestClient();
    const response = await createApp().fetch(
      new Request(`${ORIGIN}/token`, { method: "POST", headers: { ...FORM, authorization: basicAuth(client) }, body: "grant_type=client_credentials" }),
      env,
    );
    expect(response.status).toBe(200);
    expectApiHeaders(response);
  });
});

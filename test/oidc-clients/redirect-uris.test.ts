import { describe, expect, it } from "vitest";
import { type Client, isRedirectUriRegistered } from "../../src/services/oidc/client-model";
import { clientAllowsGrant, corsOriginAllowed, findClient } from "../../src/services/oidc/clients";
import { testDeps } from "../helpers/deps";
import { createClient, WEB_APP } from "./helpers";

const REGISTERED = [
  "https://app.example.com/callback",
  "https://app.example.com/cb?tenant=1",
  "http://127.0.0.1/native",
  "http://[::1]/native",
  "com.example.app:/oauth",
];

describe("redirect URIs match by exact string (RFC 6749 §3.1.2.3, Security BCP)", () => {
  it("accepts exactly what was registered", () => {
    for (const uri of REGISTERED) expect(isRedirectUriRegistered(REGISTERED, uri, false)).toBe(true);
  });

  it("refuses near misses: trailing slash, case, added or changed query, fragment, userinfo, port, scheme, path prefix", () => {
    for (const uri of [
      "https://app.example.com/callback/",
      "https://app.example.com/Callback",
      "https://APP.example.com/callback",
      "HTTPS://app.example.com/callback",
      "https://app.example.com/callback?x=1",
      "https://app.example.com/callback?",
      "https://app.example.com/cb?tenant=2",
      "https://app.example.com/cb?tenant=1&x=1",
      "https://app.example.com/cb",
      "https://app.example.com/callback#frag",
      "https://app.example.com/callback#",
      "https://user@app.example.com/callback",
      "https://app.example.com@evil.example/callback",
      "https://app.example.com:443/callback",
      "https://app.example.com:8443/callback",
      "http://app.example.com/callback",
      "https://app.example.com/callback/../callback",
      "https://app.example.com/callbackx",
      "https://app.example.com.evil.example/callback",
      "com.example.app:/oauth/x",
      "com.example.evil:/oauth",
    ]) {
      expect(isRedirectUriRegistered(REGISTERED, uri, true), uri).toBe(false);
    }
  });
});

describe("loopback redirects of native apps may use any port (RFC 8252 §7.3)", () => {
  it("matches 127.0.0.1 and [::1] on any port with the same path", () => {
    for (const uri of ["http://127.0.0.1:51234/native", "http://127.0.0.1:1/native", "http://[::1]:65535/native", "http://127.0.0.1/native"]) {
      expect(isRedirectUriRegistered(REGISTERED, uri, true), uri).toBe(true);
    }
  });

  it("keeps a web app to the registered port (RFC 9700 §2.1)", () => {
    expect(isRedirectUriRegistered(REGISTERED, "http://127.0.0.1:51234/native", false)).toBe(false);
    expect(isRedirectUriRegistered(REGISTERED, "http://127.0.0.1/native", false)).toBe(true);
  });

  it("still refuses another path, a query, a fragment, userinfo, https, localhost or another loopback address", () => {
    for (const uri of [
      "http://127.0.0.1:51234/native/",
      "http://127.0.0.1:51234/other",
      "http://127.0.0.1:51234/native?x=1",
      "http://127.0.0.1:51234/native#x",
      "http://user@127.0.0.1:51234/native",
      "https://127.0.0.1:51234/native",
      "http://localhost:51234/native",
      "http://127.0.0.2:51234/native",
      "http://[::1]:51234/Native",
      "http://127.0.0.1:51234",
    ]) {
      expect(isRedirectUriRegistered(REGISTERED, uri, true), uri).toBe(false);
    }
  });

  it("does not widen a registered https or localhost URI to any port", () => {
    expect(isRedirectUriRegistered(["http://localhost:3000/cb"], "http://localhost:3001/cb", true)).toBe(false);
    expect(isRedirectUriRegistered(["https://app.example.com/cb"], "https://app.example.com:444/cb", true)).toBe(false);
  });
});

describe("clientAllowsGrant", () => {
  it("allows only the registered grant types", async () => {
    const created = await createClient(WEB_APP);
    const client = (await findClient(testDeps(), created.client_id)) as Client;
    expect(clientAllowsGrant(client, "authorization_code")).toBe(true);
    expect(clientAllowsGrant(client, "refresh_token")).toBe(true);
    expect(clientAllowsGrant(client, "client_credentials")).toBe(false);
    expect(clientAllowsGrant(client, "password")).toBe(false);
  });
});

describe("corsOriginAllowed", () => {
  it("allows a public client's https and loopback redirect origins, nothing else", async () => {
    const created = await createClient({
      client_name: "SPA",
      token_endpoint_auth_method: "none",
      redirect_uris: ["https://spa.example.com/callback", "http://localhost:5173/cb", "http://127.0.0.1:8080/cb", "com.example.app:/oauth"],
    });
    const client = (await findClient(testDeps(), created.client_id)) as Client;
    for (const origin of ["https://spa.example.com", "http://localhost:5173", "http://127.0.0.1:8080"])
      expect(corsOriginAllowed(client, origin), origin).toBe(true);
    for (const origin of [
      "https://spa.example.com:444",
      "http://spa.example.com",
      "https://evil.example",
      "https://spa.example.com.evil.example",
      "http://localhost:5174",
      "null",
      "",
      undefined,
      null,
    ]) {
      expect(corsOriginAllowed(client, origin), String(origin)).toBe(false);
    }
  });

  it("never allows browsers to call for a confidential client", async () => {
    const created = await createClient({ ...WEB_APP, redirect_uris: ["https://shop.example.com/callback"] });
    const client = (await findClient(testDeps(), created.client_id)) as Client;
    expect(corsOriginAllowed(client, "https://shop.example.com")).toBe(false);
  });
});

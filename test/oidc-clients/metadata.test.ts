import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { type ClientMetadata, type MetadataError, parseClientMetadata, resolveClientMetadata } from "../../src/services/oidc/client-metadata";

const WEB = { redirect_uris: ["https://app.example.com/cb"] };
const ADMIN = { dynamic: false, allowLoopbackHttp: false };

/** Field rules then the rules between fields, as the admin API applies them (production unless told). */
function validate(
  input: Record<string, unknown>,
  options: Partial<typeof ADMIN> = {},
): { ok: true; metadata: ClientMetadata } | { ok: false; errors: MetadataError[] } {
  const parsed = parseClientMetadata(input);
  if (!parsed.ok) return parsed;
  return resolveClientMetadata(parsed.value, { ...ADMIN, ...options });
}

function errorsOf(input: Record<string, unknown>, options: Partial<typeof ADMIN> = {}): MetadataError[] {
  const result = validate(input, options);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.errors;
}

function accepted(input: Record<string, unknown>, options: Partial<typeof ADMIN> = {}): ClientMetadata {
  const result = validate(input, options);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to pass: ${JSON.stringify(result.errors)}`);
  return result.metadata;
}

async function publicJwk(alg: "ES256" | "EdDSA" | "RS256"): Promise<Record<string, unknown>> {
  const { publicKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(publicKey)), kid: `${alg}-key` };
}

/** jose refuses to make keys under 2048 bits, so WebCrypto makes this one. */
async function smallRsaJwk(): Promise<Record<string, unknown>> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const { kty, n, e } = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  return { kty, n, e };
}

describe("defaults (RFC 7591 §2 and ours)", () => {
  it("fills grant_types, auth method, scope, response_types, ID token alg, first_party", () => {
    expect(accepted(WEB)).toEqual({
      redirect_uris: ["https://app.example.com/cb"],
      post_logout_redirect_uris: [],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      scope: "openid profile email",
      first_party: false,
      backchannel_logout_session_required: false,
      id_token_signed_response_alg: "RS256",
      allowed_resources: [],
      application_type: "web",
    });
  });

  it("treats null as not set", () => {
    expect(accepted({ ...WEB, client_name: null, scope: null, jwks: null }).scope).toBe("openid profile email");
  });
});

describe("redirect_uris", () => {
  const redirectProblem = (uri: string) => errorsOf({ redirect_uris: [uri] })[0];

  it("accepts https, http on loopback hosts, and private-use schemes for native apps", () => {
    for (const uri of [
      "https://app.example.com/cb",
      "https://app.example.com/cb?tenant=1",
      "https://app.example.com:8443/cb",
      "http://localhost:3000/cb",
      "http://127.0.0.1/cb",
      "http://[::1]:8080/cb",
      "com.example.app:/oauth2redirect",
      "com.example.app://callback",
    ]) {
      expect(accepted({ redirect_uris: [uri] }).redirect_uris).toEqual([uri]);
    }
  });

  it("refuses relative URIs, plain http elsewhere, and dangerous or bare schemes", () => {
    for (const uri of [
      "/callback",
      "app.example.com/cb",
      "http://app.example.com/cb",
      "http://localhost.evil.com/cb",
      "javascript:alert(1)",
      "data:text/html,x",
      "file:///etc/passwd",
      "myapp:/cb",
    ]) {
      expect(redirectProblem(uri)).toMatchObject({ field: "redirect_uris.0", code: "invalid_redirect_uri" });
    }
  });

  it("refuses a fragment, user information, spaces and control characters", () => {
    expect(redirectProblem("https://app.example.com/cb#frag")?.detail).toBe("must not contain a fragment");
    expect(redirectProblem("https://app.example.com/cb#")?.detail).toBe("must not contain a fragment");
    expect(redirectProblem("https://user@app.example.com/cb")?.detail).toMatch(/user information/);
    expect(redirectProblem("https://user:pw@app.example.com/cb")?.detail).toMatch(/user information/);
    expect(redirectProblem("https://@app.example.com/cb")?.detail).toMatch(/user information/);
    expect(redirectProblem("https://app.example.com/c b")?.detail).toMatch(/spaces or control/);
    expect(redirectProblem("https://app.example.com/cb\r\n")?.detail).toMatch(/spaces or control/);
  });

  it("needs at least one for the authorization_code grant, none for client_credentials only", () => {
    expect(errorsOf({})).toEqual([expect.objectContaining({ field: "redirect_uris", code: "invalid_redirect_uri" })]);
    expect(accepted({ grant_types: ["client_credentials"] })).toMatchObject({ redirect_uris: [], response_types: [] });
  });

  it("refuses duplicates and more than 20", () => {
    expect(errorsOf({ redirect_uris: ["https://a.example/cb", "https://a.example/cb"] })[0]?.detail).toBe("must not list a value twice");
    expect(errorsOf({ redirect_uris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) })[0]?.field).toBe("redirect_uris");
  });
});

describe("post_logout_redirect_uris", () => {
  it("follows the redirect URI rules, as invalid_client_metadata", () => {
    expect(accepted({ ...WEB, post_logout_redirect_uris: ["https://app.example.com/", "http://127.0.0.1:5000/bye"] }).post_logout_redirect_uris).toHaveLength(
      2,
    );
    for (const uri of ["http://app.example.com/", "https://app.example.com/#x", "https://u@app.example.com/"]) {
      expect(errorsOf({ ...WEB, post_logout_redirect_uris: [uri] })[0]).toMatchObject({
        field: "post_logout_redirect_uris.0",
        code: "invalid_client_metadata",
      });
    }
  });
});

describe("grant_types and response_types", () => {
  it("allows only authorization_code, refresh_token and client_credentials", () => {
    for (const grant of ["implicit", "password", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"]) {
      expect(errorsOf({ ...WEB, grant_types: [grant] })[0]?.field).toBe("grant_types.0");
    }
    expect(errorsOf({ ...WEB, grant_types: [] })[0]?.field).toBe("grant_types");
  });

  it("client_credentials needs a confidential client", () => {
    expect(errorsOf({ grant_types: ["client_credentials"], token_endpoint_auth_method: "none" })[0]).toMatchObject({
      field: "grant_types",
      detail: expect.stringMatching(/confidential/),
    });
  });

  it("refresh_token needs authorization_code", () => {
    expect(errorsOf({ grant_types: ["refresh_token", "client_credentials"] })[0]?.field).toBe("grant_types");
  });

  it('allows response_types ["code"] only, and only with the authorization_code grant', () => {
    expect(accepted({ ...WEB, response_types: ["code"] }).response_types).toEqual(["code"]);
    expect(errorsOf({ ...WEB, response_types: ["token"] })[0]?.field).toBe("response_types.0");
    expect(errorsOf({ ...WEB, response_types: ["code id_token"] })[0]?.field).toBe("response_types.0");
    expect(errorsOf({ ...WEB, response_types: [] })[0]?.field).toBe("response_types");
    expect(errorsOf({ grant_types: ["client_credentials"], response_types: ["code"] })[0]?.field).toBe("response_types");
  });
});

describe("token_endpoint_auth_method, jwks and signing algorithms", () => {
  it("is one of the four methods", () => {
    for (const method of ["client_secret_basic", "client_secret_post", "none"])
      expect(accepted({ ...WEB, token_endpoint_auth_method: method }).token_endpoint_auth_method).toBe(method);
    for (const method of ["client_secret_jwt", "tls_client_auth", "self_signed_tls_client_auth", "NONE"]) {
      expect(errorsOf({ ...WEB, token_endpoint_auth_method: method })[0]?.field).toBe("token_endpoint_auth_method");
    }
  });

  it("private_key_jwt needs jwks with public EC, OKP or RSA keys", async () => {
    expect(errorsOf({ ...WEB, token_endpoint_auth_method: "private_key_jwt" })[0]?.field).toBe("jwks");
    const keys = [await publicJwk("ES256"), await publicJwk("EdDSA"), await publicJwk("RS256")];
    expect(accepted({ ...WEB, token_endpoint_auth_method: "private_key_jwt", jwks: { keys } }).jwks?.keys).toHaveLength(3);
  });

  it("refuses private key members, symmetric keys, small RSA keys, unknown curves and x5u", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const { privateKey: rsaPrivate } = await generateKeyPair("RS256", { extractable: true });
    const cases: [Record<string, unknown>, RegExp][] = [
      [privateJwk as Record<string, unknown>, /private member\(s\) d/],
      [(await exportJWK(rsaPrivate)) as Record<string, unknown>, /private member\(s\) d, p, q, dp, dq, qi/],
      [{ kty: "oct", k: "c2VjcmV0" }, /private member\(s\) k/],
      [{ kty: "oct" }, /symmetric keys are not accepted/],
      [await smallRsaJwk(), /at least 2048 bits/],
      [{ kty: "EC", crv: "P-384", x: "abc", y: "def" }, /P-256/],
      [{ kty: "OKP", crv: "X25519", x: "abc" }, /Ed25519/],
      [{ ...(await publicJwk("ES256")), x5u: "https://keys.example.com/cert.pem" }, /x5u is not supported/],
      [{ ...(await publicJwk("ES256")), alg: "HS256" }, /alg must be one of/],
      [{ ...(await publicJwk("ES256")), alg: "RS256" }, /signs with ES256/],
      [{ ...(await publicJwk("ES256")), use: "enc" }, /use must be "sig"/],
    ];
    for (const [key, message] of cases) {
      const [error] = errorsOf({ ...WEB, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [key] } });
      expect(error?.field).toBe("jwks.keys.0");
      expect(error?.detail).toMatch(message);
    }
    expect(errorsOf({ ...WEB, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [] } })[0]?.field).toBe("jwks.keys");
    expect(errorsOf({ ...WEB, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [await publicJwk("ES256")], extra: 1 } })[0]?.field).toBe(
      "jwks.extra",
    );
  });

  it("token_endpoint_auth_signing_alg: asymmetric only, private_key_jwt only, and a key must fit it", async () => {
    const jwks = { keys: [await publicJwk("ES256")] };
    expect(
      accepted({ ...WEB, token_endpoint_auth_method: "private_key_jwt", jwks, token_endpoint_auth_signing_alg: "ES256" }).token_endpoint_auth_signing_alg,
    ).toBe("ES256");
    expect(errorsOf({ ...WEB, token_endpoint_auth_method: "private_key_jwt", jwks, token_endpoint_auth_signing_alg: "RS256" })[0]?.detail).toMatch(
      /no key in jwks can sign RS256/,
    );
    expect(errorsOf({ ...WEB, token_endpoint_auth_signing_alg: "ES256" })[0]?.detail).toMatch(/only to private_key_jwt/);
    for (const alg of ["HS256", "none", "ES512"])
      expect(errorsOf({ ...WEB, token_endpoint_auth_signing_alg: alg })[0]?.field).toBe("token_endpoint_auth_signing_alg");
  });

  it("id_token_signed_response_alg is ES256, EdDSA or RS256 (default RS256)", () => {
    for (const alg of ["ES256", "EdDSA", "RS256"]) expect(accepted({ ...WEB, id_token_signed_response_alg: alg }).id_token_signed_response_alg).toBe(alg);
    for (const alg of ["none", "HS256", "PS256", "ES384"])
      expect(errorsOf({ ...WEB, id_token_signed_response_alg: alg })[0]?.field).toBe("id_token_signed_response_alg");
  });
});

describe("scope", () => {
  it("accepts the standard scopes and API scopes", () => {
    const scope = "openid profile email phone address offline_access orders:read https://api.example.com/write a_b.c-d/e";
    expect(accepted({ ...WEB, scope }).scope).toBe(scope);
  });

  it("refuses empty names, double spaces, bad characters, duplicates", () => {
    for (const scope of ["", " openid", "openid  email", "openid\temail", 'openid "x"', "openid scope\\x", "ümlaut", "openid openid"]) {
      expect(errorsOf({ ...WEB, scope })[0]?.field).toBe("scope");
    }
  });
});

describe("back-channel logout", () => {
  it("backchannel_logout_uri: https; http on loopback only outside production; no fragment or user information", () => {
    expect(accepted({ ...WEB, backchannel_logout_uri: "https://app.example.com/bcl?x=1", backchannel_logout_session_required: true })).toMatchObject({
      backchannel_logout_uri: "https://app.example.com/bcl?x=1",
      backchannel_logout_session_required: true,
    });
    expect(errorsOf({ ...WEB, backchannel_logout_uri: "http://localhost:3000/bcl" })[0]?.detail).toBe("must use https");
    expect(accepted({ ...WEB, backchannel_logout_uri: "http://localhost:3000/bcl" }, { allowLoopbackHttp: true }).backchannel_logout_uri).toBe(
      "http://localhost:3000/bcl",
    );
    for (const uri of ["http://app.example.com/bcl", "https://app.example.com/bcl#x", "https://u@app.example.com/bcl", "com.example.app:/bcl", "bcl"]) {
      expect(errorsOf({ ...WEB, backchannel_logout_uri: uri }, { allowLoopbackHttp: true })[0]?.field).toBe("backchannel_logout_uri");
    }
  });

  it("backchannel_logout_session_required is a boolean", () => {
    expect(errorsOf({ ...WEB, backchannel_logout_session_required: "yes" })[0]?.field).toBe("backchannel_logout_session_required");
  });
});

describe("our extensions and informational fields", () => {
  it("allowed_resources: absolute URIs without a fragment", () => {
    expect(accepted({ ...WEB, allowed_resources: ["https://api.example.com", "urn:example:orders"] }).allowed_resources).toEqual([
      "https://api.example.com",
      "urn:example:orders",
    ]);
    for (const uri of ["/api", "https://api.example.com/#x", "api.example.com"])
      expect(errorsOf({ ...WEB, allowed_resources: [uri] })[0]?.field).toBe("allowed_resources.0");
  });

  it("first_party is a boolean, false unless set", () => {
    expect(accepted({ ...WEB, first_party: true }).first_party).toBe(true);
    expect(errorsOf({ ...WEB, first_party: "true" })[0]?.field).toBe("first_party");
  });

  it("client_uri, logo_uri, policy_uri, tos_uri are https URLs", () => {
    const pages = {
      client_uri: "https://app.example.com",
      logo_uri: "https://cdn.example.com/logo.png",
      policy_uri: "https://app.example.com/privacy",
      tos_uri: "https://app.example.com/tos",
    };
    expect(accepted({ ...WEB, ...pages })).toMatchObject(pages);
    for (const field of Object.keys(pages)) {
      for (const value of ["http://app.example.com", "javascript:alert(1)", "not a url"]) expect(errorsOf({ ...WEB, [field]: value })[0]?.field).toBe(field);
    }
  });

  it("contacts are email addresses", () => {
    expect(accepted({ ...WEB, contacts: ["ops@example.com", "Dev@Example.com"] }).contacts).toEqual(["ops@example.com", "Dev@Example.com"]);
    for (const contact of ["not-an-address", "a@b", "<x@example.com>", "x@example.com\n"])
      expect(errorsOf({ ...WEB, contacts: [contact] })[0]?.field).toBe("contacts.0");
  });

  it("client_name: at most 100 characters, no control characters", () => {
    expect(accepted({ ...WEB, client_name: "Shop 🛒" }).client_name).toBe("Shop 🛒");
    expect(errorsOf({ ...WEB, client_name: "x".repeat(101) })[0]?.field).toBe("client_name");
    expect(errorsOf({ ...WEB, client_name: "Shop\r\nX" })[0]?.field).toBe("client_name");
  });

  it("application_type is web or native; software_id and software_version are kept", () => {
    expect(accepted({ ...WEB, application_type: "native", software_id: "4NRB1-0XZABZI9E6-5SM3R", software_version: "2.1" })).toMatchObject({
      application_type: "native",
      software_id: "4NRB1-0XZABZI9E6-5SM3R",
      software_version: "2.1",
    });
    expect(errorsOf({ ...WEB, application_type: "desktop" })[0]?.field).toBe("application_type");
  });

  it("refuses unknown fields, naming each (RFC 7591 invalid_client_metadata)", () => {
    const errors = errorsOf({ ...WEB, jwks_uri: "https://app.example.com/jwks", client_secret: "mine", "client_name#de": "Laden" });
    expect(errors.map((error) => error.field).sort()).toEqual(["client_name#de", "client_secret", "jwks_uri"]);
    expect(errors.every((error) => error.code === "invalid_client_metadata")).toBe(true);
  });
});

describe("dynamic registration limits", () => {
  const DYNAMIC = { dynamic: true, allowLoopbackHttp: false };
  it("refuses first_party, allowed_resources and API scopes; allows the standard scopes", () => {
    expect(errorsOf({ ...WEB, first_party: true }, DYNAMIC)[0]?.field).toBe("first_party");
    expect(errorsOf({ ...WEB, allowed_resources: ["https://api.example.com"] }, DYNAMIC)[0]?.field).toBe("allowed_resources");
    expect(errorsOf({ ...WEB, scope: "openid orders:write" }, DYNAMIC)[0]?.field).toBe("scope");
    expect(accepted({ ...WEB, scope: "openid profile email phone address offline_access", first_party: false }, DYNAMIC).first_party).toBe(false);
  });

  it("keeps API scopes an operator granted", () => {
    const parsed = parseClientMetadata({ ...WEB, scope: "openid orders:write" });
    if (!parsed.ok) throw new Error("unexpected");
    expect(resolveClientMetadata(parsed.value, { ...DYNAMIC, grantedScopes: ["orders:write"] }).ok).toBe(true);
  });
});

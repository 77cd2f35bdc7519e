import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import { vi } from "vitest";

type Claims = Record<string, unknown>;

/** How the fake provider misbehaves for one test. */
export interface Misbehaviour {
  /** Claims to set (or, with `undefined`, drop) in the next ID token. */
  idToken?: Claims;
  /** Sign with a key the JWKS does not hold. */
  foreignKey?: boolean;
  /** An unsigned token (`alg: none`). */
  algNone?: boolean;
  /** The token endpoint answers 503. */
  tokenStatus?: number;
  /** The token endpoint never answers (until the caller's signal aborts). */
  hang?: boolean;
  /** Discovery answers 500. */
  discoveryDown?: boolean;
  /** The `kid` header of the next ID token (default: the current key's). */
  kid?: string;
}

/**
 * An OpenID Connect provider behind an intercepted `globalThis.fetch`, for the worker tier (the real
 * upstreams cannot be reached here). It checks what a real one checks (PKCE S256, client secret, redirect
 * URI, single-use codes) and can misbehave on request.
 */
export class FakeUpstream {
  readonly issuer: string;
  readonly clientId: string = "gatehouse-test";
  readonly clientSecret = "fake-upstream-secret";
  misbehave: Misbehaviour = {};
  /** Every code-redeeming request the fake saw (PKCE verifier, auth), newest last. */
  readonly tokenRequests: URLSearchParams[] = [];
  /** Paths of every request the fake answered (relative to the issuer), oldest first: shows what was fetched or cached. */
  readonly requests: string[] = [];
  private readonly codes = new Map<string, { challenge: string; nonce: string; redirectUri: string; claims: Claims }>();
  private key!: { privateKey: CryptoKey; publicJwk: Record<string, unknown> };
  private foreign!: CryptoKey;
  private retired: Record<string, unknown>[] = [];
  private restore: (() => void) | null = null;

  /**
   * `issuer`: a fixed issuer (a named provider's, e.g. Google's). `checkPostedSecret`: the provider wants
   * `client_secret_post` and this decides whether a posted secret is good (Apple's is a signed JWT).
   */
  constructor(
    label = "idp",
    readonly options: { issuer?: string; clientId?: string; checkPostedSecret?: (secret: string) => Promise<boolean> } = {},
  ) {
    this.issuer = options.issuer ?? `https://${label}-${crypto.randomUUID().slice(0, 8)}.example`;
    if (options.clientId) this.clientId = options.clientId;
  }

  async start(): Promise<this> {
    const pair = await generateKeyPair("ES256");
    this.key = { privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" } };
    this.foreign = (await generateKeyPair("ES256")).privateKey;
    const original = globalThis.fetch;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (!request.url.startsWith(`${this.issuer}/`)) return original(input, init);
      return this.handle(request, init?.signal ?? undefined);
    });
    this.restore = () => spy.mockRestore();
    return this;
  }

  /** Key rotation: signs with a new key under `kid` from now on; the JWKS publishes it (and the old one when `keepOld`). */
  async rotateKey(kid: string, keepOld = false): Promise<void> {
    const pair = await generateKeyPair("ES256");
    const previous = this.key.publicJwk;
    this.key = { privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: "ES256", use: "sig" } };
    this.retired = keepOld ? [previous] : [];
  }

  stop(): void {
    this.restore?.();
  }

  /**
   * The customer at the provider: reads the authorization request Gatehouse sent and "consents" by minting
   * a code for `claims`; returns the callback parameters the provider would send back.
   */
  consent(authorizationUrl: string, claims: Claims): URLSearchParams {
    const url = new URL(authorizationUrl);
    const code = crypto.randomUUID();
    this.codes.set(code, {
      challenge: url.searchParams.get("code_challenge") ?? "",
      nonce: url.searchParams.get("nonce") ?? "",
      redirectUri: url.searchParams.get("redirect_uri") ?? "",
      claims,
    });
    return new URLSearchParams({ code, state: url.searchParams.get("state") ?? "", iss: this.issuer });
  }

  private async handle(request: Request, signal: AbortSignal | undefined): Promise<Response> {
    // Paths relative to the issuer's own path (Entra's issuer is `…/{tenant}/v2.0`).
    const path = new URL(request.url).pathname.slice(new URL(this.issuer).pathname.replace(/\/$/, "").length);
    this.requests.push(path);
    if (path === "/.well-known/openid-configuration") {
      if (this.misbehave.discoveryDown) return new Response("down", { status: 500 });
      return Response.json({
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["ES256"],
        code_challenge_methods_supported: ["S256"],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (path === "/jwks") return Response.json({ keys: [this.key.publicJwk, ...this.retired] });
    if (path === "/token") return this.token(request, signal);
    return new Response("not found", { status: 404 });
  }

  private async token(request: Request, signal: AbortSignal | undefined): Promise<Response> {
    if (this.misbehave.hang) {
      return new Promise<Response>((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
    }
    if (this.misbehave.tokenStatus) return new Response("upstream trouble", { status: this.misbehave.tokenStatus });
    const form = new URLSearchParams(await request.text());
    this.tokenRequests.push(form);
    const authenticated = this.options.checkPostedSecret
      ? form.get("client_id") === this.clientId && (await this.options.checkPostedSecret(form.get("client_secret") ?? ""))
      : this.clientAuthenticated(request.headers.get("authorization"));
    if (!authenticated) return Response.json({ error: "invalid_client" }, { status: 401 });
    const grant = this.codes.get(form.get("code") ?? "");
    this.codes.delete(form.get("code") ?? "");
    if (!grant || grant.redirectUri !== form.get("redirect_uri")) return Response.json({ error: "invalid_grant" }, { status: 400 });
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(form.get("code_verifier") ?? "")));
    const challenge = btoa(String.fromCharCode(...digest))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    if (challenge !== grant.challenge) return Response.json({ error: "invalid_grant", error_description: "PKCE" }, { status: 400 });
    return Response.json({ access_token: crypto.randomUUID(), token_type: "Bearer", expires_in: 300, id_token: await this.idToken(grant) });
  }

  /** HTTP Basic with form-encoded id and secret (RFC 6749 §2.3.1). */
  private clientAuthenticated(header: string | null): boolean {
    if (!header?.startsWith("Basic ")) return false;
    const [id = "", secret = ""] = atob(header.slice(6))
      .split(":")
      .map((part) => decodeURIComponent(part.replace(/\+/g, " ")));
    return id === this.clientId && secret === this.clientSecret;
  }

  private async idToken(grant: { nonce: string; claims: Claims }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Claims = { iss: this.issuer, aud: this.clientId, iat: now, exp: now + 300, nonce: grant.nonce, ...grant.claims, ...this.misbehave.idToken };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    if (this.misbehave.algNone) {
      const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
    }
    const kid = this.misbehave.kid ?? (this.key.publicJwk.kid as string);
    return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid }).sign(this.misbehave.foreignKey ? this.foreign : this.key.privateKey);
  }
}

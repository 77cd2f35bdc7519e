import { ConfigError, loadConfig } from "../../config";
import { log } from "../../lib/log";
import { randomToken } from "../../lib/random";
import { requestDeps } from "../../middleware/context";
import { SLOW_REQUEST_MS } from "../../middleware/request-id";
import { API_HEADERS } from "../../middleware/security-headers";
import { corsOriginAllowed } from "../../services/oidc/clients";
import { OAuthError } from "../../services/oidc/oauth-error";
import { handleTokenRequest } from "../../services/oidc/token-endpoint";
import { GuardUnavailableError } from "../../storage/guards";
import { NO_STORE, oauthErrorJson, parseOAuthForm, requireFormType } from "./oauth-http";

const UTF8 = new TextDecoder();
const TOKEN_HEADERS = { ...API_HEADERS, ...NO_STORE, "Content-Type": "application/json", Vary: "Origin" };

/**
 * `POST /token` as a plain fetch handler, without the app's middleware: the busiest machine endpoint
 * (docs/performance.md) needs no session, locale, CSP nonce, branding or Hono context. It does what the
 * middleware would have done for it: a request id (echoed, and in the access log for errors and slow
 * requests), the API security headers, the body limit (413), and RFC 6749 §5.2 errors for every failure.
 * `src/index.ts` sends every `POST /token` here; the app mounts it too, for requests it fetches itself.
 */
export async function tokenEndpoint(request: Request, env: Env, executionCtx: { waitUntil(promise: Promise<unknown>): void } | null): Promise<Response> {
  const requestId = randomToken(12);
  const started = Date.now();
  let response: Response;
  let accessLog: string | undefined;
  try {
    const config = loadConfig(env as unknown as Record<string, unknown>);
    accessLog = config.accessLog;
    requireFormType(request.headers.get("content-type"));
    const form = parseOAuthForm(await readLimitedText(request, config.maxBodyBytes));
    const limiter = env.TOKEN_RATE_LIMITER;
    const { client, response: body } = await handleTokenRequest(requestDeps(env, config, executionCtx, requestId), {
      authorization: request.headers.get("authorization") ?? undefined,
      form,
      tokenEndpoint: `${config.issuerUrl}/token`,
      withinRateLimit: limiter ? async (clientId) => (await limiter.limit({ key: clientId })).success : undefined,
    });
    const origin = request.headers.get("origin");
    const headers: Record<string, string> = { ...TOKEN_HEADERS, "X-Request-Id": requestId };
    if (origin && corsOriginAllowed(client, origin)) headers["Access-Control-Allow-Origin"] = origin;
    response = new Response(JSON.stringify(body), { headers });
  } catch (error) {
    response = failure(error, requestId);
  }
  const durationMs = Date.now() - started;
  if (response.status >= 500 || durationMs >= SLOW_REQUEST_MS || accessLog === "all") {
    log(response.status >= 500 ? "error" : "info", "request", { requestId, method: "POST", path: "/token", status: response.status, durationMs });
  }
  return response;
}

/** Every failure as RFC 6749 §5.2 JSON: the client's mistakes with their code, ours as `server_error` (details only logged). */
function failure(error: unknown, requestId: string): Response {
  let oauthError: OAuthError;
  if (error instanceof OAuthError) {
    oauthError = error;
  } else if (error instanceof GuardUnavailableError) {
    oauthError = new OAuthError("temporarily_unavailable", "the server could not complete the request", { status: 503 });
  } else {
    const configProblem = error instanceof ConfigError;
    log("error", configProblem ? "configuration error" : "unhandled error", {
      requestId,
      path: "/token",
      error: configProblem ? error.message : String(error),
      stack: configProblem || !(error instanceof Error) ? undefined : error.stack,
    });
    oauthError = new OAuthError("server_error", "the server could not complete the request", { status: 500 });
  }
  const response = oauthErrorJson(oauthError, { requestId, path: "/token" });
  for (const [name, value] of Object.entries(API_HEADERS)) if (!response.headers.has(name)) response.headers.set(name, value);
  response.headers.set("X-Request-Id", requestId);
  response.headers.append("Vary", "Origin");
  return response;
}

/** The body as text, refused with 413 past `maxBytes` whether or not the client announced its length. */
async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new OAuthError("invalid_request", "request body too large", { status: 413 });
  if (!request.body) return "";
  const announced = request.headers.get("content-length");
  if (announced !== null && !request.headers.has("transfer-encoding")) {
    if (Number.parseInt(announced, 10) > maxBytes) throw tooLarge();
    // Bytes, not `text()`: workerd warns (on every request) when a form body is read as text.
    return UTF8.decode(await request.arrayBuffer());
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return UTF8.decode(bytes);
}

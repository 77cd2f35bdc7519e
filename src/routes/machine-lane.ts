import { discoveryResponse, jwksResponse } from "./oidc/discovery";
import { tokenEndpoint } from "./oidc/token-http";

type Lane = (request: Request, env: Env, executionCtx: ExecutionContext) => Response | Promise<Response>;

/**
 * The machine endpoints that carry the load (token requests from every app and resource server, discovery
 * and JWKS fetched by every relying party) answered before Hono: no router, context or middleware work for
 * requests that need none of it (docs/performance.md). Everything else, including HEAD and the CORS
 * preflight of these paths, goes through the app. The app mounts the same handlers, so it is complete on
 * its own.
 */
const LANES: Record<string, Lane> = {
  "GET /.well-known/openid-configuration": (_request, env) => discoveryResponse(env),
  "GET /.well-known/oauth-authorization-server": (_request, env) => discoveryResponse(env),
  "GET /jwks.json": (_request, env) => jwksResponse(env),
  "POST /token": (request, env, executionCtx) => tokenEndpoint(request, env, executionCtx),
};

/** The lane for this request, or null for the app. */
export function machineLane(request: Request): Lane | null {
  return LANES[`${request.method} ${pathOf(request.url)}`] ?? null;
}

/** The path of an absolute request URL, without building a URL object (the same rule as Hono's router). */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("://") + 3);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  return url.slice(start, query < 0 ? undefined : query);
}

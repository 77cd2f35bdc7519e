import type { PushConfig } from "../../config";

/** Longest endpoint we store or call; real ones are well under 1 KB. */
export const MAX_ENDPOINT_LENGTH = 2048;

export type EndpointProblem = "malformed" | "not_https" | "credentials" | "port" | "host_not_allowed";

/**
 * Is `endpoint` a push service we may call? Subscriptions come from the browser, so the endpoint is
 * untrusted input that our Worker will POST to: without this check it is a server-side request forgery
 * primitive. Checked at enrolment AND before every send (the list may have shrunk since).
 * Only `https:` on a listed host (exact name or a `*.suffix` rule that matches subdomains only), on the
 * default port, without user info. IP literals never match a rule. In development, loopback
 * (`127.0.0.1`, `localhost`) over http or https is accepted as well, for local tests.
 */
export function checkPushEndpoint(
  endpoint: string,
  rules: Pick<PushConfig, "endpointHosts" | "allowLoopbackEndpoints">,
): { ok: true; url: URL } | { ok: false; problem: EndpointProblem } {
  if (endpoint.length > MAX_ENDPOINT_LENGTH || /[\s\\]/.test(endpoint)) return { ok: false, problem: "malformed" };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { ok: false, problem: "malformed" };
  }
  if (url.username || url.password) return { ok: false, problem: "credentials" };
  const loopback = rules.allowLoopbackEndpoints && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
  if (loopback) return url.protocol === "http:" || url.protocol === "https:" ? { ok: true, url } : { ok: false, problem: "not_https" };
  if (url.protocol !== "https:") return { ok: false, problem: "not_https" };
  if (url.port !== "") return { ok: false, problem: "port" };
  return hostAllowed(url.hostname, rules.endpointHosts) ? { ok: true, url } : { ok: false, problem: "host_not_allowed" };
}

/** Exact match, or `*.suffix` matching `a.suffix`, `a.b.suffix` but never `suffix` itself or `evilsuffix`. */
function hostAllowed(hostname: string, rules: string[]): boolean {
  // An IP literal or a trailing-dot name is never a push service's canonical host.
  if (hostname.endsWith(".") || hostname.startsWith("[") || /^[\d.]+$/.test(hostname)) return false;
  return rules.some((rule) => (rule.startsWith("*.") ? hostname.endsWith(rule.slice(1)) && hostname.length > rule.length - 1 : hostname === rule));
}

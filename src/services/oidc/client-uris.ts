/**
 * Rules for the URIs a client registers. Each check returns what is wrong in the words of an error
 * message (`"must use https"`), or `null` when the value is acceptable. Pure, no I/O.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters and spaces is the point.
const CONTROL_OR_SPACE = /[\x00-\x20\x7f-\x9f]/;
const MAX_URI_LENGTH = 2000;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** RFC 8252 §7.1: a private-use scheme in reverse domain name notation, e.g. `com.example.app`. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/;

/** `localhost`, `127.0.0.1` or `[::1]` (RFC 8252 §7.3, §8.3). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Shared by every URI rule: absolute, printable, no fragment, no user information. */
function baseProblem(uri: string): { url: URL } | { problem: string } {
  if (uri.length > MAX_URI_LENGTH) return { problem: `must be at most ${MAX_URI_LENGTH} characters` };
  if (CONTROL_OR_SPACE.test(uri)) return { problem: "must not contain spaces or control characters" };
  if (uri.includes("#")) return { problem: "must not contain a fragment" };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { problem: "must be an absolute URI" };
  }
  // The parser drops an empty user part (`https://@host`), so look at the authority as written.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(uri)?.[1] ?? "";
  if (url.username || url.password || authority.includes("@")) return { problem: "must not contain user information (`user@`)" };
  return { url };
}

/**
 * A redirect URI (RFC 6749 §3.1.2, OAuth 2.0 Security BCP, RFC 8252): `https`; `http` only on a loopback
 * host; or a private-use scheme in reverse domain notation for native apps (`com.example.app:/callback`).
 * Stored and compared as written, so what is registered is exactly what must be sent.
 */
export function redirectUriProblem(uri: string): string | null {
  const base = baseProblem(uri);
  if ("problem" in base) return base.problem;
  const { url } = base;
  const scheme = url.protocol.slice(0, -1);
  if (scheme === "https") return url.hostname ? null : "must name a host";
  if (scheme === "http") return isLoopbackHost(url.hostname) ? null : "must use https (http only for localhost, 127.0.0.1 or [::1])";
  if (PRIVATE_USE_SCHEME.test(scheme)) return null;
  return "must use https, http on a loopback host, or a private-use scheme in reverse domain notation such as com.example.app:/callback";
}

/**
 * An endpoint we call (the back-channel logout URI): `https`, or `http` on a loopback host where
 * `allowLoopbackHttp` (development and test, so a local app can receive logout tokens).
 */
export function serverUriProblem(uri: string, allowLoopbackHttp: boolean): string | null {
  const base = baseProblem(uri);
  if ("problem" in base) return base.problem;
  const { url } = base;
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && allowLoopbackHttp && isLoopbackHost(url.hostname)) return null;
  return allowLoopbackHttp ? "must use https (http only for localhost, 127.0.0.1 or [::1])" : "must use https";
}

/** A web page shown to users (`client_uri`, `logo_uri`, `policy_uri`, `tos_uri`): `https` only. */
export function httpsUrlProblem(uri: string): string | null {
  const base = baseProblem(uri);
  if ("problem" in base) return base.problem;
  return base.url.protocol === "https:" ? null : "must use https";
}

/** An RFC 8707 resource indicator: an absolute URI without a fragment. */
export function resourceUriProblem(uri: string): string | null {
  const base = baseProblem(uri);
  return "problem" in base ? base.problem : null;
}

/** Paths of the JSON APIs, which never use the browser session, CSRF tokens, page locale or CSP nonces. */
const API_PATHS = /^\/(admin\/|token$|userinfo$|revoke$|introspect$|par$|register(\/|$)|jwks\.json$|\.well-known\/)/;

export function isApiPath(path: string): boolean {
  return API_PATHS.test(path);
}

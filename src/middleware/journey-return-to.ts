import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { openPendingLogin, PENDING_LOGIN_COOKIE } from "../services/auth/pending-login";
import { MAGIC_LINK_COOKIE, magicLinkReturnTo } from "../services/email-login/magic-links";

/**
 * Where the login this browser is in the middle of will continue, for pages whose URL carries no
 * `return_to`: the second step (`/login/mfa…`) reads the pending login held in `__Host-gh_mfa`, the
 * magic-link pages (`/login/link…`) the browser binding in `__Host-gh_magic`. Only for branding: the value
 * names an app only when it is a sealed interaction (services/branding/page-client.ts checks that).
 */
export async function journeyReturnTo(c: Context<AppEnv>): Promise<string | null> {
  const path = c.req.path;
  if (path === "/login/mfa" || path.startsWith("/login/mfa/")) {
    const pending = await openPendingLogin(c.get("config").keyEncryptionKey, getCookie(c, PENDING_LOGIN_COOKIE), c.get("deps").clock());
    return pending?.returnTo ?? null;
  }
  if (path === "/login/link" || path.startsWith("/login/link/")) return magicLinkReturnTo(getCookie(c, MAGIC_LINK_COOKIE));
  return null;
}

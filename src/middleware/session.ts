import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { readSession, SESSION_COOKIE, type Session } from "../services/sessions";

/** Reads the session cookie (KV only: cheap) and puts the session, or null, on the context. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const cookie = getCookie(c, SESSION_COOKIE);
  const session = cookie ? await readSession(c.get("deps"), cookie, { strict: false }) : null;
  if (cookie && !session) deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
  c.set("session", session);
  await next();
});

/**
 * For sensitive pages and actions: the session must also be confirmed by the user's `UserGuard`,
 * so a revoked session is refused at once. Returns null when there is none (callers redirect to /login).
 */
export async function strictSession<E extends AppEnv>(c: Context<E>): Promise<Session | null> {
  const vars = c.var as AppEnv["Variables"];
  if (!vars.session) return null;
  const session = await readSession(vars.deps, getCookie(c, SESSION_COOKIE), { strict: true });
  if (!session) deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
  return session;
}

export function setSessionCookie<E extends AppEnv>(c: Context<E>, value: string, absoluteExpiresAt: number): void {
  setCookie(c, SESSION_COOKIE, value, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", expires: new Date(absoluteExpiresAt) });
}

export function clearSessionCookie<E extends AppEnv>(c: Context<E>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}

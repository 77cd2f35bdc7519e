import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { DEVICE_COOKIE, readDeviceId } from "../services/auth/device";
import { type SessionBinding, stolenSessionReason } from "../services/risk/session-binding";
import { describeFamily, userAgentFamily } from "../services/risk/signals/user-agent";
import { readSession, revokeSession, SESSION_COOKIE, type Session } from "../services/sessions";

/**
 * Reads the session cookie (KV only: cheap) and puts the session, or null, on the context. A session
 * used away from the device it started on (a copied cookie) is revoked on the spot (services/risk/session-binding.ts).
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const cookie = getCookie(c, SESSION_COOKIE);
  let session = cookie ? await readSession(c.get("deps"), cookie, { strict: false }) : null;
  if (session?.binding && (await refuseStolenSession(c, session, session.binding))) session = null;
  if (cookie && !session) deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
  c.set("session", session);
  await next();
});

async function refuseStolenSession(c: Context<AppEnv>, session: Session, binding: SessionBinding): Promise<boolean> {
  const request = c.get("request");
  const current: SessionBinding = {
    deviceId: await readDeviceId(c.get("config").keyEncryptionKey, getCookie(c, DEVICE_COOKIE)),
    country: request.edge.country,
    family: describeFamily(userAgentFamily(request.userAgent)),
  };
  const reason = stolenSessionReason(binding, current);
  if (!reason) return false;
  const deps = c.get("deps");
  await revokeSession(deps, session.userId, session.id);
  await deps.audit.record(
    {
      type: "risk.session_refused",
      outcome: "failure",
      actorType: "system",
      userId: session.userId,
      details: { reason, session_id: session.id, started_in: binding.country, used_in: current.country },
    },
    request,
  );
  return true;
}

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

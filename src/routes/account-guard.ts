import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { clearSessionCookie, strictSession } from "../middleware/session";
import type { Session } from "../services/sessions";
import type { UserRow } from "../storage/schema";
import { usersStore } from "../storage/users-store";

/**
 * Hono typing for pages under /account: the active user and the guard-confirmed session are on the context.
 * Each account route group installs `requireAccount` for its own paths (they are mounted before the
 * account routes, whose `/account/*` gate therefore never runs for them).
 */
export type AccountEnv = AppEnv & { Variables: AppEnv["Variables"] & { user: UserRow; strict: Session } };

/** Everything under /account needs a session the user's guard confirms, and an active account. */
export const requireAccount = createMiddleware<AccountEnv>(async (c, next) => {
  const session = await strictSession(c);
  const user = session ? await usersStore(c.get("deps").db).findById(session.userId) : undefined;
  if (!session || !user || user.status !== "active") {
    clearSessionCookie(c);
    return c.redirect(`/login?return_to=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
  }
  c.set("user", user);
  c.set("strict", session);
  await next();
});

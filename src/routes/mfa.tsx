import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { secondFactorsOf } from "../services/auth/factors";
import { ACR_PHISHING_RESISTANT, type FactorKind } from "../services/auth/methods";
import type { PendingLogin } from "../services/auth/pending-login";
import { usersStore } from "../storage/users-store";
import { MfaPage } from "../ui/pages/mfa/mfa-page";
import { MFA_PANELS } from "../ui/pages/mfa/panels";
import { clearPendingLogin, pendingLogin } from "./auth-flow";
import { pageContext, readForm } from "./page-helpers";

/**
 * Renders the second step for a pending login: the asked-for factor if the user has it, else their first
 * one. Factor routes call it again with `error` (and a status) when a code was wrong.
 */
export async function showMfaStep(
  c: Context<AppEnv>,
  pending: PendingLogin,
  options: { method?: string | null; error?: string | null; status?: 200 | 400 | 401 | 429 } = {},
): Promise<Response> {
  const user = await usersStore(c.get("deps").db).findById(pending.userId);
  if (user?.status !== "active") {
    clearPendingLogin(c);
    return c.redirect("/login?notice=mfa_expired", 303);
  }
  // A passkey is the only factor that reaches "phishing resistant".
  const passkeyOnly = pending.requiredAcr === ACR_PHISHING_RESISTANT;
  const usable = (await secondFactorsOf(c.get("deps"), user, pending.factors)).filter(
    (kind) => MFA_PANELS[kind] !== undefined && (!passkeyOnly || kind === "passkey"),
  );
  const asked = options.method as FactorKind | undefined;
  const method = asked && usable.includes(asked) ? asked : (usable[0] ?? null);
  c.status(options.status ?? 200);
  return c.html(
    <MfaPage
      page={pageContext(c)}
      pendingId={pending.id}
      method={method}
      others={usable.filter((kind) => kind !== method)}
      stepUp={pending.stepUpSessionId !== null}
      passkeyOnly={passkeyOnly}
      error={options.error ?? null}
    />,
  );
}

/** The second step of a login (`/login/mfa`): the factor chooser. Each factor verifies on its own route. */
export const mfaRoutes = new Hono<AppEnv>()
  .get("/login/mfa", async (c) => {
    const pending = await pendingLogin(c);
    if (!pending) return c.redirect("/login?notice=mfa_expired", 303);
    return showMfaStep(c, pending, { method: c.req.query("method") });
  })
  .post("/login/mfa/cancel", async (c) => {
    await readForm(c);
    clearPendingLogin(c);
    return c.redirect("/login", 303);
  });

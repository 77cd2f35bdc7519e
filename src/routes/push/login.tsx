import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { amrFor } from "../../services/auth/methods";
import type { PendingLogin } from "../../services/auth/pending-login";
import { consumePushApproval, currentApproval, pushApprovalStatus, requestPushApproval } from "../../services/push/approvals";
import { usersStore } from "../../storage/users-store";
import { PushWaitPage } from "../../ui/pages/push-login-pages";
import { completeSecondFactor, pendingLogin, secondFactorReaches } from "../auth-flow";
import { pageContext, readForm, tooManyRequests } from "../page-helpers";

const PUSH_AMR = amrFor("push");

/** The pending login of this browser when push may finish it; otherwise where to send the browser instead. */
async function pushablePending(c: Context<AppEnv>): Promise<PendingLogin | Response> {
  const pending = await pendingLogin(c);
  if (!pending) return c.redirect("/login?notice=mfa_expired", 303);
  // An app that asked for more than push can give (e.g. a passkey) gets the chooser, not a push.
  if (!secondFactorReaches(pending, "push", PUSH_AMR)) return c.redirect("/login/mfa", 303);
  return pending;
}

function waitPage(c: Context<AppEnv>, matchNumber: number | null, flash: { kind: "info" | "error"; text: string } | null = null) {
  return c.html(<PushWaitPage page={pageContext(c)} matchNumber={matchNumber} flash={flash} />);
}

/**
 * Push as the second step of a login: send the request, wait on the number-matching screen (polling its
 * status), and complete once approved. Every route needs this browser's pending login (`__Host-gh_mfa`),
 * so none of them can skip the first factor or touch another browser's login.
 */
export const pushLoginRoutes = new Hono<AppEnv>()
  .post("/login/mfa/push/send", async (c) => {
    await readForm(c);
    const pending = await pushablePending(c);
    if (pending instanceof Response) return pending;
    const deps = c.get("deps");
    const user = await usersStore(deps.db).findById(pending.userId);
    if (user?.status !== "active") return c.redirect("/login?notice=mfa_expired", 303);
    const request = c.get("request");
    const city = typeof c.req.raw.cf?.city === "string" ? c.req.raw.cf.city : null;
    const result = await requestPushApproval(deps, user, pending, { country: request.country, city }, request);
    if (result.ok) return c.redirect("/login/mfa/push", 303);
    const t = c.get("t");
    if (result.reason === "throttled") {
      tooManyRequests(c, result.retryAfterSeconds);
      return waitPage(c, null, { kind: "error", text: t("push.send.throttled", { seconds: result.retryAfterSeconds }) });
    }
    c.status(result.reason === "undelivered" ? 502 : 400);
    const key = result.reason === "no_devices" ? "push.send.noDevices" : result.reason === "undelivered" ? "push.send.undelivered" : "push.send.unavailable";
    return waitPage(c, null, { kind: "error", text: t(key) });
  })
  .get("/login/mfa/push", async (c) => {
    const pending = await pushablePending(c);
    if (pending instanceof Response) return pending;
    const approval = await currentApproval(c.get("deps"), pending);
    if (!approval) return c.redirect("/login/mfa?method=push", 303);
    return waitPage(c, approval.matchNumber);
  })
  // Polled by the waiting page. Answers only about this browser's own pending login.
  .get("/login/mfa/push/status", async (c) => {
    const pending = await pendingLogin(c);
    const status = pending ? await pushApprovalStatus(c.get("deps"), pending) : "expired";
    return c.json({ status }, 200, { "Cache-Control": "no-store" });
  })
  .post("/login/mfa/push", async (c) => {
    await readForm(c);
    const pending = await pushablePending(c);
    if (pending instanceof Response) return pending;
    const deps = c.get("deps");
    if (await consumePushApproval(deps, pending)) return completeSecondFactor(c, pending, { factor: "push", amr: PUSH_AMR });
    const t = c.get("t");
    const status = await pushApprovalStatus(deps, pending);
    c.status(status === "pending" ? 409 : 400);
    if (status === "pending") {
      const approval = await currentApproval(deps, pending);
      return waitPage(c, approval?.matchNumber ?? null, { kind: "info", text: t("push.wait.notYet") });
    }
    return waitPage(c, null, { kind: "error", text: t(status === "denied" ? "push.wait.denied" : "push.wait.expired") });
  });

import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { clearSessionCookie, strictSession } from "../middleware/session";
import { amrFor } from "../services/auth/methods";
import { providerButtons } from "../services/federation/buttons";
import { logIn } from "../services/login";
import { endAllSessions, endSession } from "../services/oidc/logout";
import { deliveryQueues } from "../storage/delivery-queues";
import type { MessageKey } from "../ui/i18n";
import { CheckEmailPage, type Flash, LoginPage } from "../ui/pages/auth-pages";
import { continueAfterFirstFactor, deviceOf, pendingLogin } from "./auth-flow";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";
import { turnstileGate, turnstileWidgetFor } from "./risk-turnstile";

/** Notices other pages may ask the login page to show (`/login?notice=…`); anything else is ignored. */
const LOGIN_NOTICES: Record<string, MessageKey> = {
  logged_out: "login.loggedOut",
  password_changed: "login.passwordChanged",
  mfa_expired: "mfa.expired",
  reauth: "security.reauth",
  risk_denied: "risk.denied",
};
/** Notices that report a refusal rather than a success. */
const ERROR_NOTICES = new Set(["risk_denied"]);

export const loginRoutes = new Hono<AppEnv>()
  .get("/login", async (c) => {
    const returnTo = safeReturnPath(c.req.query("return_to"), "");
    // With a session, the form is shown only when a paused request sent us here: it demands a fresh login
    // (prompt=login, max_age, another user's id_token_hint). Skipping the form then would loop.
    if (c.get("session") && !returnTo) return c.redirect("/account", 303);
    // A password alone never gets past a pending second step: back to the factor.
    if (!c.get("session") && (await pendingLogin(c))) return c.redirect("/login/mfa", 303);
    const page = pageContext(c);
    const noticeName = c.req.query("notice") ?? "";
    const notice = LOGIN_NOTICES[noticeName];
    return c.html(
      <LoginPage
        page={page}
        email={c.req.query("login_hint")}
        returnTo={returnTo || undefined}
        flash={notice ? { kind: ERROR_NOTICES.has(noticeName) ? "error" : "success", text: page.t(notice) } : null}
        providers={await providerButtons(c.get("deps"))}
        turnstile={await turnstileWidgetFor(c, "login")}
        sms={c.get("config").sms.enabled}
      />,
    );
  })
  .post("/login", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    // A borderline source proves it is a person before its password is even looked at (when Turnstile is configured).
    const turnstile = await turnstileGate(c, form, "login");
    const formAgain = async (flash: Flash) =>
      c.html(
        <LoginPage
          page={page}
          email={form.email}
          returnTo={safeReturnPath(form.return_to, "") || undefined}
          flash={flash}
          providers={await providerButtons(c.get("deps"))}
          turnstile={turnstile.widget}
          sms={c.get("config").sms.enabled}
        />,
      );
    if (turnstile.problem) {
      c.status(400);
      return formAgain({ kind: "error", text: turnstile.problem });
    }
    const result = await logIn(c.get("deps"), { email: form.email, password: form.password }, c.get("request"), { deviceId: await deviceOf(c) });
    switch (result.outcome) {
      case "authenticated":
        return continueAfterFirstFactor(c, {
          user: result.user,
          factor: "password",
          amr: amrFor("password"),
          returnTo: safeReturnPath(form.return_to, "/account"),
          facts: result.facts,
        });
      case "throttled":
        tooManyRequests(c, result.retryAfterSeconds);
        return formAgain({ kind: "error", text: page.t("login.throttled", { seconds: result.retryAfterSeconds }) });
      case "unverified":
        return c.html(<CheckEmailPage page={page} email={form.email ?? ""} flash={{ kind: "info", text: page.t("login.unverified") }} />);
      default:
        c.status(401);
        return formAgain({ kind: "error", text: page.t("login.failed") });
    }
  })
  .post("/logout", async (c) => {
    await readForm(c);
    const session = c.get("session");
    if (session) {
      await endSession(c.get("deps"), deliveryQueues(c.env.DELIVERY_QUEUE), session);
      await c
        .get("deps")
        .audit.record({ type: "user.logout", outcome: "success", actorType: "user", actorId: session.userId, userId: session.userId }, c.get("request"));
    }
    clearSessionCookie(c);
    return c.redirect("/login?notice=logged_out", 303);
  })
  .post("/logout/everywhere", async (c) => {
    await readForm(c);
    const session = await strictSession(c);
    if (session) {
      await endAllSessions(c.get("deps"), deliveryQueues(c.env.DELIVERY_QUEUE), session.userId);
      await c.get("deps").audit.record(
        {
          type: "user.logout",
          outcome: "success",
          actorType: "user",
          actorId: session.userId,
          userId: session.userId,
          details: { everywhere: true },
        },
        c.get("request"),
      );
    }
    clearSessionCookie(c);
    return c.redirect("/login?notice=logged_out", 303);
  });

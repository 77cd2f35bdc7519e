import { type Context, Hono } from "hono";
import { clearSessionCookie } from "../middleware/session";
import { changePassword, confirmEmailChange, deleteAccount, describeEmailChange, requestEmailChange, updateProfile } from "../services/account";
import { choosePreferredFactor, securityOverview } from "../services/auth/security-overview";
import { disconnectApp, listConnectedApps } from "../services/oidc/connected-apps";
import { listSessions, revokeAllSessions, revokeSession } from "../services/sessions";
import type { MessageKey } from "../ui/i18n";
import { AccountPage, type AccountPageProps } from "../ui/pages/account-page";
import { ConfirmLinkPage, MessagePage } from "../ui/pages/auth-pages";
import { type AccountEnv, requireAccount } from "./account-guard";
import { pageContext, readForm, tooManyRequests } from "./page-helpers";

/** Notices the account page shows after a redirect (`/account?notice=…`). */
const ACCOUNT_NOTICES: Record<string, MessageKey> = {
  profile_saved: "account.profileSaved",
  password_changed: "account.passwordChanged",
  email_change_sent: "account.changeEmailSent",
  email_changed: "account.emailChanged",
  session_revoked: "account.sessionRevoked",
  others_revoked: "account.othersRevoked",
  app_revoked: "account.appRevoked",
  preferred_saved: "security.preferredSaved",
};

async function renderAccount(c: Context<AccountEnv>, extra: Partial<AccountPageProps> = {}) {
  const notice = ACCOUNT_NOTICES[c.req.query("notice") ?? ""];
  const page = pageContext(c);
  return c.html(
    <AccountPage
      page={page}
      user={c.get("user")}
      sessions={await listSessions(c.get("deps"), c.get("user").id)}
      apps={await listConnectedApps(c.get("deps"), c.get("user").id)}
      security={await securityOverview(c.get("deps"), c.get("user"))}
      currentSessionId={c.get("strict").id}
      minLength={c.get("config").password.minLength}
      flash={notice ? { kind: "success", text: page.t(notice) } : null}
      {...extra}
    />,
  );
}

/** Renders the account page again with the problem of one form, or 429 when throttled. */
async function rejected(
  c: Context<AccountEnv>,
  form: NonNullable<AccountPageProps["errorForm"]>,
  result: { errors: AccountPageProps["errors"] } | { retryAfterSeconds: number },
) {
  if ("retryAfterSeconds" in result) {
    tooManyRequests(c, result.retryAfterSeconds);
    return renderAccount(c, { flash: { kind: "error", text: c.get("t")("problem.rate_limited", { seconds: result.retryAfterSeconds }) } });
  }
  c.status(400);
  return renderAccount(c, { errors: result.errors, errorForm: form, flash: { kind: "error", text: c.get("t")("common.errorSummary") } });
}

export const accountRoutes = new Hono<AccountEnv>()
  // The email-change link is opened from the mailbox, possibly without a session; it shows a confirmation button.
  .get("/account/email/confirm", async (c) => {
    const token = c.req.query("token") ?? "";
    const pending = await describeEmailChange(c.get("deps"), token);
    if (!pending) return deadLink(c);
    const page = pageContext(c);
    return c.html(
      <ConfirmLinkPage
        page={page}
        title={page.t("account.changeEmail")}
        text={page.t("verify.body", { email: pending.newEmail })}
        action="/account/email/confirm"
        token={token}
        submit={page.t("verify.submit")}
      />,
    );
  })
  .post("/account/email/confirm", async (c) => {
    const form = await readForm(c);
    if (!(await confirmEmailChange(c.get("deps"), form.token ?? "", c.get("request")))) return deadLink(c);
    const page = pageContext(c);
    return c.html(
      <MessagePage
        page={page}
        title={page.t("account.changeEmail")}
        flash={{ kind: "success", text: page.t("account.emailChanged") }}
        linkHref="/account"
        linkText={page.t("account.title")}
      />,
    );
  })
  .use("/account", requireAccount)
  .use("/account/*", requireAccount)
  .get("/account", (c) => renderAccount(c))
  .post("/account/security/preferred", async (c) => {
    const form = await readForm(c);
    // Only a factor the user has can be preferred; anything else (a tampered form) changes nothing.
    const saved = await choosePreferredFactor(c.get("deps"), c.get("user"), form.factor);
    if (!saved) c.status(400);
    return saved ? c.redirect("/account?notice=preferred_saved#security-heading", 303) : renderAccount(c);
  })
  .post("/account/profile", async (c) => {
    const form = await readForm(c);
    const result = await updateProfile(c.get("deps"), c.get("user"), { name: form.name, locale: form.locale }, c.get("request"));
    return result.ok ? c.redirect("/account?notice=profile_saved", 303) : rejected(c, "profile", result);
  })
  .post("/account/password", async (c) => {
    const form = await readForm(c);
    const result = await changePassword(
      c.get("deps"),
      c.get("user"),
      c.get("strict").id,
      { currentPassword: form.current_password, newPassword: form.new_password },
      c.get("request"),
    );
    return result.ok ? c.redirect("/account?notice=password_changed", 303) : rejected(c, "password", result);
  })
  .post("/account/email", async (c) => {
    const form = await readForm(c);
    const result = await requestEmailChange(
      c.get("deps"),
      c.get("user"),
      { newEmail: form.new_email, currentPassword: form.current_password },
      c.get("request"),
    );
    return result.ok ? c.redirect("/account?notice=email_change_sent", 303) : rejected(c, "email", result);
  })
  .post("/account/sessions/revoke", async (c) => {
    const form = await readForm(c);
    const { id: userId } = c.get("user");
    const sessionId = form.session_id ?? "";
    // Only the user's own index is asked, so another account's session id revokes nothing.
    if (await revokeSession(c.get("deps"), userId, sessionId)) {
      await c
        .get("deps")
        .audit.record(
          { type: "session.revoked", outcome: "success", actorType: "user", actorId: userId, userId, details: { current: sessionId === c.get("strict").id } },
          c.get("request"),
        );
    }
    if (sessionId === c.get("strict").id) {
      clearSessionCookie(c);
      return c.redirect("/login?notice=logged_out", 303);
    }
    return c.redirect("/account?notice=session_revoked", 303);
  })
  .post("/account/sessions/revoke-others", async (c) => {
    await readForm(c);
    const { id: userId } = c.get("user");
    const count = await revokeAllSessions(c.get("deps"), userId, c.get("strict").id);
    await c
      .get("deps")
      .audit.record({ type: "session.revoked", outcome: "success", actorType: "user", actorId: userId, userId, details: { others: count } }, c.get("request"));
    return c.redirect("/account?notice=others_revoked", 303);
  })
  .post("/account/apps/revoke", async (c) => {
    const form = await readForm(c);
    await disconnectApp(c.get("deps"), c.get("user").id, form.client_id ?? "", c.get("request"));
    return c.redirect("/account?notice=app_revoked", 303);
  })
  .post("/account/delete", async (c) => {
    const form = await readForm(c);
    const result = await deleteAccount(c.get("deps"), c.get("user"), { currentPassword: form.current_password }, c.get("request"));
    if (!result.ok) return rejected(c, "delete", result);
    clearSessionCookie(c);
    const page = pageContext(c);
    return c.html(
      <MessagePage
        page={page}
        title={page.t("account.delete")}
        flash={{ kind: "success", text: page.t("account.deleted") }}
        linkHref="/signup"
        linkText={page.t("login.signup")}
      />,
    );
  });

function deadLink(c: Context<AccountEnv>) {
  const page = pageContext(c);
  c.status(400);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("account.changeEmail")}
      flash={{ kind: "error", text: page.t("verify.invalid") }}
      linkHref="/account"
      linkText={page.t("account.title")}
    />,
  );
}

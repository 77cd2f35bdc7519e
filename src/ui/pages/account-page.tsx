import type { SessionRecord } from "../../durable/session-index";
import type { SecurityOverview } from "../../services/auth/security-overview";
import type { ConnectedApp } from "../../services/oidc/connected-apps";
import type { FieldErrors } from "../../services/validation";
import type { UserRow } from "../../storage/schema";
import { CsrfField, Field, NewPasswordField, Notice, PostButton, problemText } from "../components";
import { Layout, type PageContext } from "../layout";
import { describeUserAgent } from "../user-agent";
import { SecuritySection } from "./account/security-section";
import { IdentitiesLink } from "./federation-pages";
import { describeScope } from "./oidc-pages";
import { RecentSignInsLink } from "./risk-activity-page";

export interface AccountPageProps {
  page: PageContext;
  user: UserRow;
  sessions: SessionRecord[];
  apps: ConnectedApp[];
  currentSessionId: string;
  minLength: number;
  security: SecurityOverview;
  flash?: { kind: "info" | "success" | "error"; text: string } | null;
  errors?: FieldErrors;
  /** Which form the errors belong to. */
  errorForm?: "profile" | "password" | "email" | "delete";
}

export function AccountPage(props: AccountPageProps) {
  const { t, locale } = props.page;
  const { user } = props;
  const errorsFor = (form: AccountPageProps["errorForm"]) => (props.errorForm === form ? (props.errors ?? {}) : {});
  const date = (ms: number) =>
    `${new Date(ms).toLocaleString(locale === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
  return (
    <Layout page={props.page} title={t("account.title")}>
      <h1>{t("account.title")}</h1>
      {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
      {user.emailVerified ? null : <Notice kind="info" text={t("account.emailUnverified")} />}

      <section class="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("account.profile")}</h2>
        <p>
          {t("common.email")}: <strong data-testid="account-email">{user.email}</strong>
        </p>
        <form method="post" action="/account/profile" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <Field
            id="name"
            name="name"
            type="text"
            label={t("common.name")}
            autocomplete="name"
            value={user.name ?? ""}
            required={false}
            maxlength={100}
            error={problemText(t, errorsFor("profile").name, props.minLength)}
          />
          <input type="hidden" name="locale" value={locale} />
          <button type="submit">{t("common.save")}</button>
        </form>
        <p class="links">
          <a href="/account/profile-details">{t("profile.details.link")}</a>
        </p>
      </section>

      <section class="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{t("account.changePassword")}</h2>
        <form method="post" action="/account/password" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <input type="text" name="username" autocomplete="username" value={user.email} hidden readonly />
          <Field
            id="current-password"
            name="current_password"
            type="password"
            label={t("common.currentPassword")}
            autocomplete="current-password"
            error={problemText(t, errorsFor("password").currentPassword, props.minLength)}
          />
          <NewPasswordField
            t={t}
            id="new-password"
            name="new_password"
            label={t("common.newPassword")}
            minLength={props.minLength}
            problem={errorsFor("password").newPassword}
          />
          <button type="submit">{t("account.changePassword")}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="email-heading">
        <h2 id="email-heading">{t("account.changeEmail")}</h2>
        <form method="post" action="/account/email" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <Field
            id="new-email"
            name="new_email"
            type="email"
            label={t("account.newEmail")}
            autocomplete="email"
            maxlength={254}
            inputmode="email"
            error={problemText(t, errorsFor("email").email, props.minLength)}
          />
          <Field
            id="email-current-password"
            name="current_password"
            type="password"
            label={t("common.currentPassword")}
            autocomplete="current-password"
            error={problemText(t, errorsFor("email").currentPassword, props.minLength)}
          />
          <button type="submit">{t("account.changeEmail")}</button>
        </form>
      </section>

      <SecuritySection page={props.page} overview={props.security} />
      <IdentitiesLink page={props.page} />
      <RecentSignInsLink page={props.page} />

      <section class="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t("account.sessions")}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("account.sessionFrom")}</th>
              <th scope="col">{t("account.sessionStarted")}</th>
              <th scope="col">{t("account.sessionLastSeen")}</th>
              <th scope="col">
                <span class="skip">{t("account.sessionRevoke")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((session) => (
              <tr data-session-id={session.id}>
                <td>
                  {describeUserAgent(session.userAgent) ?? t("account.unknownDevice")}
                  {session.ip ? ` · ${session.ip}` : ""}
                  {session.country ? ` · ${session.country}` : ""}
                  {session.id === props.currentSessionId ? <strong> ({t("account.sessionCurrent")})</strong> : null}
                </td>
                <td>{date(session.createdAt)}</td>
                <td>{date(session.lastSeenAt)}</td>
                <td>
                  <PostButton
                    csrfToken={props.page.csrfToken}
                    action="/account/sessions/revoke"
                    label={t("account.sessionRevoke")}
                    variant="secondary"
                    fields={{ session_id: session.id }}
                    inline
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PostButton csrfToken={props.page.csrfToken} action="/account/sessions/revoke-others" label={t("account.logoutOthers")} variant="secondary" />
        <PostButton csrfToken={props.page.csrfToken} action="/logout/everywhere" label={t("account.logoutEverywhere")} />
      </section>

      <section class="card" aria-labelledby="apps-heading">
        <h2 id="apps-heading">{t("account.apps")}</h2>
        {props.apps.length === 0 ? <p>{t("account.appsNone")}</p> : null}
        {props.apps.map((app) => (
          <div class="app" data-client-id={app.clientId}>
            <h3>{app.name}</h3>
            <p>
              {t("account.appReceives")}: {app.scopes.map((scope) => describeScope(t, scope)).join("; ")}
              <br />
              {t("account.appSince")}: {date(app.grantedAt)} · {t("account.appLastUsed")}: {app.lastUsedAt ? date(app.lastUsedAt) : t("account.appNever")}
            </p>
            <PostButton
              csrfToken={props.page.csrfToken}
              action="/account/apps/revoke"
              label={t("account.appRevoke")}
              variant="secondary"
              fields={{ client_id: app.clientId }}
            />
          </div>
        ))}
      </section>
      <section class="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t("account.delete")}</h2>
        <p>{t("account.deleteWarning")}</p>
        <form method="post" action="/account/delete" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <Field
            id="delete-current-password"
            name="current_password"
            type="password"
            label={t("common.currentPassword")}
            autocomplete="current-password"
            error={problemText(t, errorsFor("delete").currentPassword, props.minLength)}
          />
          <button type="submit" class="danger">
            {t("account.deleteConfirm")}
          </button>
        </form>
      </section>

      <PostButton csrfToken={props.page.csrfToken} action="/logout" label={t("common.logout")} variant="secondary" />
    </Layout>
  );
}

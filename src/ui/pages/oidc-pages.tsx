import { OIDC_SCOPES } from "../../services/oidc/scopes";
import { Notice, PostButton } from "../components";
import type { MessageKey, Translate } from "../i18n";
import { Layout, type PageContext } from "../layout";
import { defaultTheme } from "../theme";

/** A scope in plain words ("See your email address"). */
export function describeScope(t: Translate, scope: string): string {
  return (OIDC_SCOPES as readonly string[]).includes(scope) ? t(`consent.scope.${scope}` as MessageKey) : t("consent.scope.other", { scope });
}

/** The consent page: exactly the scopes requested, each in plain words. */
export function ConsentPage(props: { page: PageContext; clientName: string; scopes: string[]; interaction: string }) {
  const { t } = props.page;
  const describe = (scope: string) => describeScope(t, scope);
  return (
    <Layout page={props.page} title={t("consent.title")}>
      <div class="card">
        <h1>{t("consent.title")}</h1>
        <p>{t("consent.body", { client: props.clientName, brand: defaultTheme.brandName })}</p>
        <p>{t("consent.scopes")}</p>
        <ul data-testid="consent-scopes">
          {props.scopes.map((scope) => (
            <li data-scope={scope}>{describe(scope)}</li>
          ))}
        </ul>
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/consent"
          label={t("consent.allow")}
          fields={{ interaction: props.interaction, decision: "allow" }}
          autofocus
        />
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/consent"
          label={t("consent.deny")}
          variant="secondary"
          fields={{ interaction: props.interaction, decision: "deny" }}
        />
      </div>
    </Layout>
  );
}

/** Shown instead of redirecting when the client or redirect URI cannot be trusted. */
export function AuthorizeErrorPage(props: { page: PageContext; error: string; expired?: boolean }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("authorize.errorTitle")}>
      <div class="card">
        <h1>{t("authorize.errorTitle")}</h1>
        <Notice kind="error" text={props.expired ? t("authorize.expired") : t("authorize.errorBody", { error: props.error })} />
      </div>
    </Layout>
  );
}

/** `response_mode=form_post` (OAuth 2.0 Form Post Response Mode): an auto-submitting form, with a button without JavaScript. */
export function FormPostPage(props: { page: PageContext; action: string; params: Record<string, string> }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("authorize.continue")} script={'document.getElementById("authorization-response").submit();'}>
      <form id="authorization-response" method="post" action={props.action}>
        {Object.entries(props.params).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <noscript>
          <button type="submit">{t("authorize.continue")}</button>
        </noscript>
      </form>
    </Layout>
  );
}

/** RP-initiated logout without our own form: the user confirms. */
export function LogoutConfirmPage(props: { page: PageContext; fields: Record<string, string> }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("logout.title")}>
      <div class="card">
        <h1>{t("logout.title")}</h1>
        <p>{t("logout.body", { brand: defaultTheme.brandName })}</p>
        <PostButton csrfToken={props.page.csrfToken} action="/logout/confirm" label={t("logout.confirm")} fields={props.fields} autofocus />
      </div>
    </Layout>
  );
}

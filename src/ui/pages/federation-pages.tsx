import { CsrfField, Notice } from "../components";
import { Layout, type PageContext } from "../layout";

export interface ProviderButton {
  id: string;
  displayName: string;
}

/**
 * "Continue with …" buttons for the enabled providers, on the login and sign-up pages. Each is a small
 * POST form (CSRF-checked), so another site cannot start a login in the customer's name.
 */
export function FederationButtons(props: { page: PageContext; providers: readonly ProviderButton[]; returnTo?: string }) {
  const { t } = props.page;
  if (props.providers.length === 0) return null;
  return (
    <div class="federation">
      <p class="hint">{t("federation.or")}</p>
      {props.providers.map((provider) => (
        <form method="post" action={`/federation/${provider.id}/start`}>
          <CsrfField token={props.page.csrfToken} />
          {props.returnTo ? <input type="hidden" name="return_to" value={props.returnTo} /> : null}
          <button type="submit" class="secondary" data-provider={provider.id}>
            {t("federation.continueWith", { provider: provider.displayName })}
          </button>
        </form>
      ))}
    </div>
  );
}

/** A callback that did not end in a login: what happened, in the customer's words, and the way back. */
export function FederationErrorPage(props: { page: PageContext; text: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("federation.errorTitle")}>
      <div class="card">
        <h1>{t("federation.errorTitle")}</h1>
        <Notice kind="error" text={props.text} />
        <a class="button" href="/login">
          {t("federation.backToLogin")}
        </a>
      </div>
    </Layout>
  );
}

/** The upstream address matches an account that may not be joined automatically: log in to it first. */
export function ProveExistingPage(props: { page: PageContext; email: string; provider: string }) {
  const { t } = props.page;
  const href = `/login?${new URLSearchParams({ login_hint: props.email, return_to: "/federation/link" })}`;
  return (
    <Layout page={props.page} title={t("federation.proveTitle")}>
      <div class="card">
        <h1>{t("federation.proveTitle")}</h1>
        <Notice kind="info" text={t("federation.proveText", { email: props.email, provider: props.provider })} />
        <a class="button" href={href}>
          {t("federation.proveLogin")}
        </a>
      </div>
    </Layout>
  );
}

/** Logged in to the matching account: one explicit confirmation before the identity joins it. */
export function ConfirmLinkPage(props: { page: PageContext; provider: string; email: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("federation.linkTitle", { provider: props.provider })}>
      <div class="card">
        <h1>{t("federation.linkTitle", { provider: props.provider })}</h1>
        <p>{t("federation.linkText", { provider: props.provider, email: props.email })}</p>
        <form method="post" action="/federation/link">
          <CsrfField token={props.page.csrfToken} />
          <button type="submit">{t("federation.linkSubmit")}</button>
        </form>
      </div>
    </Layout>
  );
}

export interface LinkedIdentity {
  id: string;
  providerName: string;
  email: string | null;
  lastUsedAt: number | null;
}

/** The account's linked identities: unlink each, link another enabled provider. */
export function IdentitiesPage(props: {
  page: PageContext;
  identities: readonly LinkedIdentity[];
  providers: readonly ProviderButton[];
  flash?: { kind: "success" | "error"; text: string } | null;
}) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("identities.title")}>
      <section class="card" aria-labelledby="identities-heading">
        <h1 id="identities-heading">{t("identities.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("identities.intro")}</p>
        {props.identities.length === 0 ? <p>{t("identities.none")}</p> : null}
        <table>
          <tbody>
            {props.identities.map((identity) => (
              <tr data-identity={identity.id}>
                <th scope="row">{identity.providerName}</th>
                <td>
                  {identity.email ?? ""}
                  {identity.lastUsedAt ? ` (${t("identities.lastUsed", { date: new Date(identity.lastUsedAt).toISOString().slice(0, 10) })})` : null}
                </td>
                <td>
                  <form method="post" action={`/account/identities/${identity.id}/unlink`}>
                    <CsrfField token={props.page.csrfToken} />
                    <button type="submit" class="secondary">
                      {t("identities.unlink")}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.providers.map((provider) => (
          <form method="post" action={`/federation/${provider.id}/link`}>
            <CsrfField token={props.page.csrfToken} />
            <button type="submit" class="secondary" data-provider={provider.id}>
              {t("identities.add", { provider: provider.displayName })}
            </button>
          </form>
        ))}
        <p class="links">
          <a href="/account">{t("account.title")}</a>
        </p>
      </section>
    </Layout>
  );
}

/** The account page's pointer to the linked logins. */
export function IdentitiesLink(props: { page: PageContext }) {
  return (
    <p class="links">
      <a href="/account/identities">{props.page.t("identities.manage")}</a>
    </p>
  );
}

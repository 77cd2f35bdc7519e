import type { WebauthnCredentialRow } from "../../../storage/mfa-schema";
import type { Flash } from "../../components";
import { CsrfField, Notice, PostButton } from "../../components";
import { Layout, type PageContext } from "../../layout";
import { PasskeyButton } from "./passkey-button";

/** /account/passkeys: the user's passkeys (name, created, last used, synced or device-bound), rename, delete, add. */
export function AccountPasskeysPage(props: { page: PageContext; passkeys: WebauthnCredentialRow[]; flash?: Flash; defaultName: string }) {
  const { t, locale } = props.page;
  const date = (ms: number | null) =>
    ms === null
      ? t("passkeys.account.never")
      : `${new Date(ms).toLocaleString(locale === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
  return (
    <Layout page={props.page} title={t("passkeys.account.title")}>
      <h1>{t("passkeys.account.title")}</h1>
      {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
      <section class="card" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">{t("passkeys.account.title")}</h2>
        <p>{t("passkeys.account.intro")}</p>
        {props.passkeys.length === 0 ? (
          <p data-testid="no-passkeys">{t("passkeys.account.none")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t("passkeys.account.name")}</th>
                <th scope="col">{t("passkeys.account.created")}</th>
                <th scope="col">{t("passkeys.account.lastUsed")}</th>
                <th scope="col">{t("passkeys.account.kind")}</th>
                <th scope="col">
                  <span class="skip">{t("passkeys.account.delete")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.passkeys.map((passkey, index) => (
                <tr data-testid="passkey-row" data-credential-id={passkey.id}>
                  <td>
                    <strong data-testid="passkey-name">{passkey.name}</strong>
                    {passkey.counterRegressedAt ? <Notice kind="error" text={t("passkeys.account.counterWarning")} /> : null}
                    <form method="post" action="/account/passkeys/rename" class="rename">
                      <CsrfField token={props.page.csrfToken} />
                      <input type="hidden" name="id" value={passkey.id} />
                      <label for={`rename-${index}`} class="skip">
                        {t("passkeys.account.newName", { name: passkey.name })}
                      </label>
                      <input id={`rename-${index}`} name="name" type="text" value={passkey.name} maxlength={64} required autocomplete="off" />
                      <button type="submit" class="secondary">
                        {t("passkeys.account.rename")}
                      </button>
                    </form>
                  </td>
                  <td>{date(passkey.createdAt)}</td>
                  <td>{date(passkey.lastUsedAt)}</td>
                  <td data-testid="passkey-kind">{passkey.deviceType === "multiDevice" ? t("passkeys.account.synced") : t("passkeys.account.deviceBound")}</td>
                  <td>
                    <PostButton
                      csrfToken={props.page.csrfToken}
                      action="/account/passkeys/delete"
                      label={t("passkeys.account.delete")}
                      variant="danger"
                      fields={{ id: passkey.id }}
                      inline
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="add-passkey-heading">
        <h2 id="add-passkey-heading">{t("passkeys.account.add")}</h2>
        <div>
          <label for="passkey-name">{t("passkeys.account.addName")}</label>
          <input id="passkey-name" name="name" type="text" value={props.defaultName} maxlength={64} autocomplete="off" />
        </div>
        <noscript>
          <Notice kind="info" text={t("passkeys.unsupported")} />
        </noscript>
        <PasskeyButton
          page={props.page}
          id="passkey-add"
          ceremony="create"
          label={t("passkeys.account.add")}
          optionsUrl="/account/passkeys/options"
          finishUrl="/account/passkeys/finish"
          inputs={["passkey-name"]}
        />
      </section>
      <p class="links">
        <a href="/account">{t("passkeys.account.back")}</a>
      </p>
    </Layout>
  );
}

/** Deleting the last way in without a password: said plainly, confirmed by a second, explicit POST. */
export function ConfirmLastPasskeyPage(props: { page: PageContext; passkey: WebauthnCredentialRow; email: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("passkeys.account.confirmTitle")}>
      <div class="card">
        <h1>{t("passkeys.account.confirmTitle")}</h1>
        <Notice kind="error" text={t("passkeys.account.confirmBody", { name: props.passkey.name, email: props.email })} />
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/account/passkeys/delete"
          label={t("passkeys.account.confirmDelete")}
          variant="danger"
          fields={{ id: props.passkey.id, confirm: "last" }}
        />
        <a class="button" href="/account/passkeys">
          {t("passkeys.account.cancel")}
        </a>
      </div>
    </Layout>
  );
}

import { CsrfField } from "../../components";
import type { PageContext } from "../../layout";
import { CodeField } from "../email-login-fields";

/** The authenticator-app step of `/login/mfa`: one code field, posted to `/login/mfa/totp`. */
export function TotpPanel(props: { page: PageContext; pending: { id: string }; error?: string | null }) {
  const { t } = props.page;
  return (
    <form method="post" action="/login/mfa/totp" novalidate data-factor="totp">
      <CsrfField token={props.page.csrfToken} />
      <p>{t("totp.panelTitle")}</p>
      <CodeField id="totp-code" label={t("common.code")} error={props.error} />
      <button type="submit">{t("totp.panelSubmit")}</button>
    </form>
  );
}

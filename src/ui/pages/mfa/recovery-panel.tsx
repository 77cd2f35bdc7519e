import { CsrfField, Field } from "../../components";
import type { PageContext } from "../../layout";

/** The recovery-code step of `/login/mfa`, posted to `/login/mfa/recovery`. */
export function RecoveryPanel(props: { page: PageContext; pending: { id: string }; error?: string | null }) {
  const { t } = props.page;
  return (
    <form method="post" action="/login/mfa/recovery" novalidate data-factor="recovery_code">
      <CsrfField token={props.page.csrfToken} />
      <p>{t("recovery.panelTitle")}</p>
      <Field
        id="recovery-code"
        name="code"
        type="text"
        label={t("recovery.code")}
        autocomplete="off"
        maxlength={64}
        error={props.error ?? undefined}
        autofocus
      />
      <button type="submit">{t("recovery.panelSubmit")}</button>
    </form>
  );
}

import { CsrfField, PostButton } from "../../components";
import type { PageContext } from "../../layout";
import { CodeField } from "../email-login-fields";

/** The email-code step of `/login/mfa`: a button that mails a code (`/login/mfa/email/send`) and the field for it (`/login/mfa/email`). */
export function EmailPanel(props: { page: PageContext; pending: { id: string }; error?: string | null }) {
  const { t } = props.page;
  return (
    <div data-factor="email">
      <p>{t("emailMfa.body")}</p>
      <PostButton csrfToken={props.page.csrfToken} action="/login/mfa/email/send" label={t("emailMfa.send")} variant="secondary" />
      <form method="post" action="/login/mfa/email" novalidate>
        <CsrfField token={props.page.csrfToken} />
        <CodeField id="email-code" label={t("common.code")} error={props.error} />
        <button type="submit">{t("emailMfa.submit")}</button>
      </form>
    </div>
  );
}

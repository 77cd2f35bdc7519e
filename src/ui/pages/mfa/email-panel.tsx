import { CsrfField, PostButton } from "../../components";
import type { PageContext } from "../../layout";
import { CodeField } from "../email-login-fields";

/**
 * The email-code step of `/login/mfa`: a button that mails a code (`/login/mfa/email/send`) and the field
 * for it (`/login/mfa/email`). `sentTo` (a masked address) is set once a code is on its way.
 */
export function EmailPanel(props: { page: PageContext; pending: { id: string }; error?: string | null; sentTo?: string | null }) {
  const { t } = props.page;
  return (
    <div data-factor="email">
      <p>{props.sentTo ? t("emailMfa.sent", { email: props.sentTo }) : t("emailMfa.body")}</p>
      <PostButton
        csrfToken={props.page.csrfToken}
        action="/login/mfa/email/send"
        label={props.sentTo ? t("emailMfa.resend") : t("emailMfa.send")}
        variant={props.sentTo ? "secondary" : undefined}
      />
      <form method="post" action="/login/mfa/email" novalidate>
        <CsrfField token={props.page.csrfToken} />
        <CodeField id="email-code" label={t("common.code")} error={props.error} autofocus={Boolean(props.sentTo)} />
        <button type="submit">{t("emailMfa.submit")}</button>
      </form>
    </div>
  );
}

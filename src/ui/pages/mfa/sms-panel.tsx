import { CsrfField, Notice } from "../../components";
import type { PageContext } from "../../layout";
import { CodeField } from "../email-login-fields";

/**
 * The SMS method on the second step (`/login/mfa?method=sms`): a button that texts a code to the
 * account's verified number, and the form for the code. Both carry the pending login's id, so a form
 * left open from an older login cannot complete a newer one. `sentTo` (masked) confirms a text went out.
 */
export function SmsPanel(props: { page: PageContext; pending: { id: string }; error?: string | null; sentTo?: string | null }) {
  const { t } = props.page;
  return (
    <>
      {props.sentTo ? <Notice kind="success" text={t("sms.mfa.sent", { phone: props.sentTo })} /> : <p>{t("sms.mfa.body")}</p>}
      <form method="post" action="/login/mfa/sms/send">
        <CsrfField token={props.page.csrfToken} />
        <input type="hidden" name="pending_id" value={props.pending.id} />
        <button type="submit" class={props.sentTo ? "secondary" : undefined}>
          {props.sentTo ? t("sms.code.resend") : t("sms.mfa.send")}
        </button>
      </form>
      <form method="post" action="/login/mfa/sms" novalidate>
        <CsrfField token={props.page.csrfToken} />
        <input type="hidden" name="pending_id" value={props.pending.id} />
        <CodeField label={t("common.code")} error={props.error} autofocus={Boolean(props.sentTo || props.error)} />
        <button type="submit">{t("sms.mfa.submit")}</button>
      </form>
    </>
  );
}

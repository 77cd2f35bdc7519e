import { CsrfField, Notice } from "../../components";
import type { PageContext } from "../../layout";

/** The push method on the `/login/mfa` chooser: one button that sends the approval request. */
export function PushPanel(props: { page: PageContext; pending: { id: string }; error?: string | null }) {
  const { t } = props.page;
  return (
    <section aria-labelledby="push-panel-heading">
      <h2 id="push-panel-heading">{t("push.panel.title")}</h2>
      {props.error ? <Notice kind="error" text={props.error} /> : null}
      <p>{t("push.panel.body")}</p>
      <form method="post" action="/login/mfa/push/send">
        <CsrfField token={props.page.csrfToken} />
        <button type="submit" autofocus>
          {t("push.panel.send")}
        </button>
      </form>
    </section>
  );
}

import type { Flash } from "../components";
import { CsrfField, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";
import { pushWaitScript } from "../scripts/push-wait";

/**
 * The login screen while a push approval is open: the number to pick on the device, a script that waits
 * for the answer without reloading, and, for browsers without JS, a button that does what the script does.
 * Without an open request (`matchNumber` null) it offers a new push and the other methods.
 */
export function PushWaitPage(props: { page: PageContext; matchNumber: number | null; flash?: Flash }) {
  const { t } = props.page;
  const waiting = props.matchNumber !== null;
  return (
    <Layout page={props.page} title={t("push.wait.title")} script={waiting ? pushWaitScript(props.page) : undefined}>
      <div class="card">
        <h1>{t("push.wait.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        {waiting ? (
          <>
            <p>{t("push.wait.number")}</p>
            <h2 data-testid="push-number" aria-live="polite">
              {String(props.matchNumber)}
            </h2>
            <p>{t("push.wait.body")}</p>
            <p id="push-state" class="hint" role="status">
              {t("push.wait.waiting")}
            </p>
            <form id="push-complete" method="post" action="/login/mfa/push">
              <CsrfField token={props.page.csrfToken} />
              <button type="submit">{t("push.wait.continue")}</button>
            </form>
          </>
        ) : null}
        <PostButton csrfToken={props.page.csrfToken} action="/login/mfa/push/send" label={t("push.wait.resend")} variant="secondary" />
        <p class="links">
          <a href="/login/mfa">{t("push.wait.other")}</a>
        </p>
      </div>
    </Layout>
  );
}

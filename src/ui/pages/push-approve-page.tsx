import { CsrfField, Notice } from "../components";
import { Layout, type PageContext } from "../layout";

/**
 * The page a push notification opens (`/push/approve?token=…`): where, on what and when the login was
 * attempted, the three numbers to pick from, and "deny". Needs no session: the link is the credential.
 */
export function PushApprovePage(props: { page: PageContext; token: string; place: string; device: string; createdAt: number; choices: number[] }) {
  const { t, locale } = props.page;
  const when = `${new Date(props.createdAt).toLocaleString(locale === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" })} UTC`;
  return (
    <Layout page={props.page} title={t("push.approve.title")}>
      <div class="card">
        <h1>{t("push.approve.title")}</h1>
        <p>{t("push.approve.intro")}</p>
        <dl>
          <dt>{t("push.approve.where")}</dt>
          <dd data-testid="push-place">{props.place}</dd>
          <dt>{t("push.approve.device")}</dt>
          <dd data-testid="push-device">{props.device}</dd>
          <dt>{t("push.approve.when")}</dt>
          <dd>{when}</dd>
        </dl>
        <form method="post" action="/push/approve">
          <CsrfField token={props.page.csrfToken} />
          <input type="hidden" name="token" value={props.token} />
          <fieldset>
            <legend>{t("push.approve.pick")}</legend>
            {props.choices.map((choice) => (
              <button type="submit" name="choice" value={String(choice)} data-choice={String(choice)}>
                {String(choice)}
              </button>
            ))}
          </fieldset>
        </form>
        <form method="post" action="/push/approve">
          <CsrfField token={props.page.csrfToken} />
          <input type="hidden" name="token" value={props.token} />
          <button type="submit" name="action" value="deny" class="danger">
            {t("push.approve.deny")}
          </button>
        </form>
      </div>
    </Layout>
  );
}

/** After an answer, or for a link that can no longer be answered. */
export function PushAnsweredPage(props: { page: PageContext; kind: "success" | "error" | "info"; text: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("push.approve.title")}>
      <div class="card">
        <h1>{t("push.approve.title")}</h1>
        <Notice kind={props.kind} text={props.text} />
      </div>
    </Layout>
  );
}

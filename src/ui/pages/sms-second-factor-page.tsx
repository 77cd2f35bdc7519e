import { Layout, type PageContext } from "../layout";
import { SmsPanel } from "./mfa/sms-panel";

/**
 * The SMS second step on its own page (`/login/mfa/sms`, and the answer after a code was texted, with
 * "sent to …"), with the way back to the chooser (`/login/mfa`) for the other methods. Errors go
 * through the chooser itself.
 */
export function SmsSecondFactorPage(props: { page: PageContext; pending: { id: string }; sentTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("mfa.title")}>
      <div class="card">
        <h1>{t("mfa.title")}</h1>
        <section aria-labelledby="mfa-method-heading">
          <h2 id="mfa-method-heading">{t("mfa.factor.sms")}</h2>
          <SmsPanel page={props.page} pending={props.pending} sentTo={props.sentTo} />
        </section>
        <p class="links">
          <a href="/login/mfa">{t("mfa.otherMethods")}</a>
        </p>
      </div>
    </Layout>
  );
}

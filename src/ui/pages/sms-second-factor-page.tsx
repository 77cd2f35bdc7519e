import { Notice } from "../components";
import { Layout, type PageContext } from "../layout";
import { SmsPanel } from "./mfa/sms-panel";

/**
 * The SMS second step on its own page, for the answers of the SMS routes (code sent, wrong code,
 * throttled); it links back to the factor chooser for the other methods.
 */
export function SmsSecondFactorPage(props: {
  page: PageContext;
  pending: { id: string };
  sentTo?: string | null;
  error?: string | null;
  flash?: { kind: "info" | "success" | "error"; text: string } | null;
}) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("sms.mfa.title")}>
      <div class="card">
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <SmsPanel page={props.page} pending={props.pending} error={props.error} sentTo={props.sentTo} />
        <p class="links">
          <a href="/login/mfa">{t("mfa.otherMethods")}</a>
        </p>
      </div>
    </Layout>
  );
}

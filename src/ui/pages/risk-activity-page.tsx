import { describeRiskEvent } from "../../services/risk/report-words";
import type { RiskEventRow } from "../../storage/schema";
import type { Translate } from "../i18n";
import { Layout, type PageContext } from "../layout";

/** The account page's way to the sign-in history. */
export function RecentSignInsLink(props: { page: PageContext }) {
  return (
    <p class="links">
      <a href="/account/activity">{props.page.t("risk.activity.link")}</a>
    </p>
  );
}

/**
 * One line a customer understands: "New device in Lyon, France — we asked for a second factor",
 * "Blocked: Sign-in from Ashburn, United States". A step-up whose login never got a session was held at
 * the second step; one that did may have passed without it (the MFA policy decides), so it only says "unusual".
 */
function headline(t: Translate, event: RiskEventRow, place: string | null): string {
  const newDevice = event.reasons.some((item) => item.code === "new_device");
  const what = place
    ? t(newDevice ? "risk.activity.newDeviceIn" : "risk.activity.signInFrom", { place })
    : t(newDevice ? "risk.activity.newDevice" : "risk.activity.signIn");
  if (event.decision === "deny") return t("risk.activity.blocked", { what });
  if (event.decision === "allow") return `${what} — ${t("risk.activity.allow")}`;
  return `${what} — ${t(event.sessionId === null ? "risk.activity.step_up" : "risk.activity.step_up_unusual")}`;
}

/** `/account/activity`: the account's latest login decisions in plain words, newest first. */
export function RiskActivityPage(props: { page: PageContext; events: RiskEventRow[] }) {
  const { t, locale } = props.page;
  return (
    <Layout page={props.page} title={t("risk.activity.title")}>
      <section class="card" aria-labelledby="activity-heading">
        <h1 id="activity-heading">{t("risk.activity.title")}</h1>
        <p>{t("risk.activity.intro")}</p>
        {props.events.length === 0 ? <p>{t("risk.activity.empty")}</p> : null}
        <ul class="activity">
          {props.events.map((event) => {
            const words = describeRiskEvent(t, locale, event);
            return (
              <li data-event-id={event.id} data-decision={event.decision}>
                <strong>{headline(t, event, words.place)}</strong>
                <br />
                {t("risk.activity.when")}: {words.time} · {t("risk.activity.device")}: {words.device ?? t("risk.device.unknown")} · {words.method}
                <br />
                {t("risk.activity.reasons", { reasons: words.reasons })}
                {event.reportedAt !== null ? (
                  <>
                    <br />
                    <em>{t("risk.activity.reported")}</em>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
        <p class="links">
          <a href="/forgot">{t("risk.activity.resetPassword")}</a> · <a href="/account">{t("account.title")}</a>
        </p>
      </section>
    </Layout>
  );
}

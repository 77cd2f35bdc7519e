import type { PushSubscriptionRow } from "../../storage/mfa-schema";
import type { Flash } from "../components";
import { CsrfField, Field, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";
import { pushEnrolScript } from "../scripts/push-enrol";

/** `/account/push`: the enrolled devices (rename, remove) and enrolment of this browser. */
export function PushAccountPage(props: {
  page: PageContext;
  devices: PushSubscriptionRow[];
  vapidPublicKey: string | null;
  flash?: Flash;
  nameError?: string;
}) {
  const { t, locale } = props.page;
  const date = (ms: number) =>
    `${new Date(ms).toLocaleString(locale === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
  return (
    <Layout page={props.page} title={t("push.account.title")} script={props.vapidPublicKey ? pushEnrolScript(props.page) : undefined}>
      <h1>{t("push.account.title")}</h1>
      {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
      <p>{t("push.account.intro")}</p>

      <section class="card" aria-labelledby="push-devices-heading">
        <h2 id="push-devices-heading">{t("push.account.devices")}</h2>
        {props.devices.length === 0 ? (
          <p data-testid="push-no-devices">{t("push.account.none")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t("push.account.device")}</th>
                <th scope="col">{t("push.account.added")}</th>
                <th scope="col">{t("push.account.lastUsed")}</th>
                <th scope="col">{t("push.account.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {props.devices.map((device) => (
                <tr data-push-device={device.id}>
                  <td>{device.name}</td>
                  <td>{date(device.createdAt)}</td>
                  <td>{device.lastUsedAt ? date(device.lastUsedAt) : t("push.account.never")}</td>
                  <td>
                    <form method="post" action="/account/push/rename">
                      <CsrfField token={props.page.csrfToken} />
                      <input type="hidden" name="id" value={device.id} />
                      <label for={`rename-${device.id}`}>{t("push.account.newName")}</label>
                      <input id={`rename-${device.id}`} name="name" type="text" value={device.name} maxlength={60} required autocomplete="off" />
                      <button type="submit" class="secondary">
                        {t("push.account.rename")}
                      </button>
                    </form>
                    <PostButton
                      csrfToken={props.page.csrfToken}
                      action="/account/push/remove"
                      label={t("push.account.remove")}
                      variant="danger"
                      fields={{ id: device.id }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="push-enrol-heading">
        <h2 id="push-enrol-heading">{t("push.account.enrolHeading")}</h2>
        {props.vapidPublicKey ? (
          <form id="push-enrol" method="post" action="/account/push" data-vapid-key={props.vapidPublicKey} novalidate>
            <CsrfField token={props.page.csrfToken} />
            <input type="hidden" name="endpoint" value="" />
            <input type="hidden" name="p256dh" value="" />
            <input type="hidden" name="auth" value="" />
            <Field
              id="device-name"
              name="name"
              type="text"
              label={t("push.account.deviceName")}
              autocomplete="off"
              required={false}
              maxlength={60}
              hint={t("push.account.deviceNameHint")}
              error={props.nameError}
            />
            <p id="push-enrol-status" class="hint" role="status" hidden />
            <noscript>
              <Notice kind="info" text={t("push.account.noScript")} />
            </noscript>
            {/* Enabled by the script once the browser can subscribe: without it the form could not work. */}
            <button type="submit" disabled>
              {t("push.account.enrol")}
            </button>
          </form>
        ) : (
          <Notice kind="info" text={t("push.account.unavailable")} />
        )}
      </section>
      <p class="links">
        <a href="/account">{t("push.account.back")}</a>
      </p>
    </Layout>
  );
}

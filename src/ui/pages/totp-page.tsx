import { renderSVG } from "uqr";
import type { Flash } from "../components";
import { CsrfField, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";
import { defaultTheme } from "../theme";
import { CodeField } from "./email-login-fields";

export type TotpPageState =
  | { kind: "none" }
  | { kind: "setup"; secret: string; groupedSecret: string; uri: string; error?: string | null }
  | { kind: "enabled"; confirmedAt: number };

/** `/account/totp`: set up (QR code, typed key, `otpauth://` link, first code), or the status and removal. */
export function TotpPage(props: { page: PageContext; state: TotpPageState; flash?: Flash }) {
  const { t } = props.page;
  const { state } = props;
  return (
    <Layout page={props.page} title={t("totp.title")}>
      <div class="card">
        <h1>{t("totp.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        {state.kind === "none" ? (
          <>
            <p>{t("totp.intro")}</p>
            <PostButton csrfToken={props.page.csrfToken} action="/account/totp/setup" label={t("totp.setup")} />
          </>
        ) : null}
        {state.kind === "setup" ? <TotpSetup page={props.page} state={state} /> : null}
        {state.kind === "enabled" ? (
          <>
            <p data-testid="totp-status">{t("totp.enabled")}</p>
            <p class="hint">{t("totp.enabledSince", { date: formatDate(props.page, state.confirmedAt) })}</p>
            <p>
              <a href="/account/recovery-codes">{t("recovery.title")}</a>
            </p>
            <p class="hint">{t("totp.removeWarning")}</p>
            <PostButton csrfToken={props.page.csrfToken} action="/account/totp/remove" label={t("totp.remove")} variant="danger" />
          </>
        ) : null}
        <p class="links">
          <a href="/account">{t("totp.backToAccount")}</a>
        </p>
      </div>
    </Layout>
  );
}

function TotpSetup(props: { page: PageContext; state: Extract<TotpPageState, { kind: "setup" }> }) {
  const { t } = props.page;
  // Rendered here as SVG and embedded as a data: image (allowed by the CSP's img-src): no third party ever sees the secret.
  const qr = `data:image/svg+xml;base64,${btoa(renderSVG(props.state.uri, { ecc: "M", border: 2, pixelSize: 6 }))}`;
  return (
    <>
      <p>{t("totp.intro")}</p>
      <p>{t("totp.scan")}</p>
      <img src={qr} width={240} height={240} alt={t("totp.qrAlt", { brand: defaultTheme.brandName })} data-testid="totp-qr" />
      <p>{t("totp.typeSecret")}</p>
      <p>
        <code data-testid="totp-secret">{props.state.groupedSecret}</code>
      </p>
      <p>
        <a href={props.state.uri} data-testid="totp-uri">
          {t("totp.openLink")}
        </a>
      </p>
      <form method="post" action="/account/totp/confirm" novalidate>
        <CsrfField token={props.page.csrfToken} />
        <CodeField label={t("totp.enterCode")} error={props.state.error} />
        <button type="submit">{t("totp.confirm")}</button>
      </form>
    </>
  );
}

function formatDate(page: PageContext, ms: number): string {
  return `${new Date(ms).toLocaleString(page.locale === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

import { CsrfField, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";
import { CodeField } from "./email-login-fields";
import { PhoneField } from "./sms-fields";

export interface PhonePageProps {
  page: PageContext;
  /** The account's verified number, formatted; null when it has none. */
  verifiedPhone: string | null;
  /** A number waiting for its confirmation code: `e164` to resend, `shown` for the text. */
  pending: { e164: string; shown: string } | null;
  flash?: { kind: "info" | "success" | "error"; text: string } | null;
  /** What the user typed and what is wrong with it (the add/change form). */
  phoneValue?: string;
  phoneError?: string;
  codeError?: string;
}

/** `/account/phone`: see, add, change (confirmed by a texted code) or remove the account's mobile number. */
export function PhonePage(props: PhonePageProps) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("sms.account.title")}>
      <h1>{t("sms.account.title")}</h1>
      {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
      <p>{t("sms.account.intro")}</p>

      <section class="card" aria-labelledby="current-phone-heading">
        <h2 id="current-phone-heading">{t("sms.account.current")}</h2>
        {props.verifiedPhone ? (
          <>
            <p>
              <strong data-testid="verified-phone">{props.verifiedPhone}</strong> · {t("sms.account.verified")}
            </p>
            <p class="hint">{t("sms.account.removeHint")}</p>
            <PostButton csrfToken={props.page.csrfToken} action="/account/phone/remove" label={t("sms.account.remove")} variant="danger" />
          </>
        ) : (
          <p>{t("sms.account.none")}</p>
        )}
      </section>

      {props.pending ? (
        <section class="card" aria-labelledby="confirm-phone-heading">
          <h2 id="confirm-phone-heading">{t("sms.account.confirm")}</h2>
          <p>{t("sms.account.pending", { phone: props.pending.shown })}</p>
          <form method="post" action="/account/phone/verify" novalidate>
            <CsrfField token={props.page.csrfToken} />
            <CodeField label={t("common.code")} error={props.codeError} />
            <button type="submit">{t("sms.account.confirm")}</button>
          </form>
          <PostButton
            csrfToken={props.page.csrfToken}
            action="/account/phone"
            label={t("sms.account.resend")}
            variant="secondary"
            fields={{ phone: props.pending.e164 }}
          />
        </section>
      ) : null}

      <section class="card" aria-labelledby="new-phone-heading">
        <h2 id="new-phone-heading">{props.verifiedPhone ? t("sms.account.change") : t("sms.account.add")}</h2>
        <form method="post" action="/account/phone" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <PhoneField t={t} value={props.phoneValue} error={props.phoneError} autofocus={!props.pending && !props.verifiedPhone} />
          <button type="submit">{t("sms.account.sendCode")}</button>
        </form>
      </section>

      <p class="links">
        <a href="/account">{t("sms.account.back")}</a>
      </p>
    </Layout>
  );
}

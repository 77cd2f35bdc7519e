import { CsrfField, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";
import { CodeField } from "./email-login-fields";
import { PhoneField } from "./sms-fields";

export interface VerifyPhonePageProps {
  page: PageContext;
  /** Where the journey continues once the number is verified (or skipped). */
  returnTo: string;
  /** The app that requires a verified number (`require_verified`); null when the step is optional. */
  requiredBy: string | null;
  /** A number waiting for its code: `e164` to resend, `shown` for the text. */
  pending: { e164: string; shown: string } | null;
  flash?: { kind: "info" | "success" | "error"; text: string } | null;
  phoneValue?: string;
  phoneError?: string;
  codeError?: string;
}

/** `/verify/phone`: one step of a sign-up or login journey that adds a mobile number and confirms it by SMS code. */
export function VerifyPhonePage(props: VerifyPhonePageProps) {
  const { t } = props.page;
  const back = { return_to: props.returnTo };
  return (
    <Layout page={props.page} title={t("verifyPhone.title")}>
      <div class="card">
        <h1>{t("verifyPhone.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        {props.requiredBy ? <p>{t("verifyPhone.required", { client: props.requiredBy })}</p> : null}
        {props.pending ? (
          <>
            <p>{t("verifyPhone.sent", { phone: props.pending.shown })}</p>
            <form method="post" action="/verify/phone/confirm" novalidate>
              <CsrfField token={props.page.csrfToken} />
              <input type="hidden" name="return_to" value={props.returnTo} />
              <CodeField label={t("common.code")} error={props.codeError} />
              <button type="submit">{t("verifyPhone.confirm")}</button>
            </form>
            <PostButton
              csrfToken={props.page.csrfToken}
              action="/verify/phone"
              label={t("verifyPhone.resend")}
              variant="secondary"
              fields={{ phone: props.pending.e164, ...back }}
            />
            <h2>{t("verifyPhone.otherNumber")}</h2>
          </>
        ) : (
          <p>{t("verifyPhone.intro")}</p>
        )}
        <form method="post" action="/verify/phone" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <input type="hidden" name="return_to" value={props.returnTo} />
          <PhoneField t={t} value={props.phoneValue} error={props.phoneError} autofocus={!props.pending} />
          <button type="submit" class={props.pending ? "secondary" : undefined}>
            {t("verifyPhone.sendCode")}
          </button>
        </form>
        {props.requiredBy ? null : (
          <p class="links">
            <a href={props.returnTo}>{t("verifyPhone.skip")}</a>
          </p>
        )}
      </div>
    </Layout>
  );
}

import type { Flash } from "../components";
import { CsrfField, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";
import { CodeField } from "./email-login-fields";
import { PhoneField } from "./sms-fields";

function ReturnToField(props: { value?: string }) {
  return props.value ? <input type="hidden" name="return_to" value={props.value} /> : null;
}

/** `/login/sms`: the number to text a login code to. */
export function SmsLoginPage(props: { page: PageContext; phone?: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  const passwordHref = props.returnTo ? `/login?${new URLSearchParams({ return_to: props.returnTo })}` : "/login";
  return (
    <Layout page={props.page} title={t("sms.login.title")}>
      <div class="card">
        <h1>{t("sms.login.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : <p>{t("sms.login.body")}</p>}
        <form method="post" action="/login/sms" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <PhoneField t={t} value={props.phone} error={props.error} autofocus />
          <button type="submit">{t("sms.login.send")}</button>
        </form>
        <p class="links">
          <a href={passwordHref}>{t("sms.login.password")}</a>
        </p>
      </div>
    </Layout>
  );
}

/**
 * The code step. It reads the same whether or not the number belongs to an account ("if … is verified
 * on an account"), so the page itself tells nobody who has one.
 */
export function SmsCodePage(props: { page: PageContext; phone: string; shownPhone: string; error?: string | null; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  const retryHref = props.returnTo ? `/login/sms?${new URLSearchParams({ return_to: props.returnTo })}` : "/login/sms";
  return (
    <Layout page={props.page} title={t("sms.code.title")}>
      <div class="card">
        <h1>{t("sms.code.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("sms.code.body", { phone: props.shownPhone })}</p>
        <form method="post" action="/login/sms/verify" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <input type="hidden" name="phone" value={props.phone} />
          <CodeField label={t("common.code")} error={props.error} />
          <button type="submit">{t("sms.code.submit")}</button>
        </form>
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/login/sms"
          label={t("sms.code.resend")}
          variant="secondary"
          fields={{ phone: props.phone, resend: "1", ...(props.returnTo ? { return_to: props.returnTo } : {}) }}
        />
        <p class="links">
          <a href={retryHref}>{t("sms.code.otherNumber")}</a>
        </p>
      </div>
    </Layout>
  );
}

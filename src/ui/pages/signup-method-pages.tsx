import type { FieldErrors } from "../../services/validation";
import type { Flash } from "../components";
import { CsrfField, Field, Notice, PostButton, problemText } from "../components";
import { Layout, type PageContext } from "../layout";
import { CodeField, ReturnToField, withReturnTo } from "./email-login-fields";
import { TurnstileWidget, type TurnstileWidgetProps } from "./risk-turnstile";
import { PhoneField } from "./sms-fields";

/** Passwordless sign-up pages: by email code, by email link, and by SMS code followed by an email link. */

/** Email (autocomplete `email`) and an optional name: the fields every passwordless sign-up form starts with. */
function AddressFields(props: { page: PageContext; email?: string; name?: string; errors: FieldErrors; autofocus: boolean }) {
  const { t } = props.page;
  return (
    <>
      <Field
        id="email"
        name="email"
        type="email"
        label={t("common.email")}
        autocomplete="email"
        value={props.email}
        error={problemText(t, props.errors.email, 0)}
        autofocus={props.autofocus}
        maxlength={254}
        inputmode="email"
      />
      <Field
        id="name"
        name="name"
        type="text"
        label={t("common.name")}
        autocomplete="name"
        value={props.name}
        required={false}
        error={problemText(t, props.errors.name, 0)}
        maxlength={100}
      />
    </>
  );
}

function BackToSignup(props: { page: PageContext; returnTo?: string }) {
  return (
    <p class="links">
      <a href={withReturnTo("/signup", props.returnTo)}>{props.page.t("common.back")}</a>
    </p>
  );
}

/** Step 1 of an email sign-up: the address (and a name); `/signup/code` or `/signup/link`. */
export function EmailSignupPage(props: {
  page: PageContext;
  method: "email_code" | "magic_link";
  email?: string;
  name?: string;
  errors?: FieldErrors;
  flash?: Flash;
  returnTo?: string;
  /** A borderline source must pass Turnstile (services/risk/turnstile-gate.ts). */
  turnstile?: TurnstileWidgetProps;
}) {
  const { t } = props.page;
  const byCode = props.method === "email_code";
  const title = t(byCode ? "emailSignup.codeTitle" : "emailSignup.linkTitle");
  return (
    <Layout page={props.page} title={title}>
      <div class="card">
        <h1>{title}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : <p>{t(byCode ? "emailSignup.codeBody" : "emailSignup.linkBody")}</p>}
        <form method="post" action={byCode ? "/signup/code" : "/signup/link"} novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <AddressFields page={props.page} email={props.email} name={props.name} errors={props.errors ?? {}} autofocus />
          {props.turnstile ? <TurnstileWidget {...props.turnstile} page={props.page} /> : null}
          <button type="submit">{t(byCode ? "emailSignup.sendCode" : "emailSignup.sendLink")}</button>
        </form>
        <BackToSignup page={props.page} returnTo={props.returnTo} />
      </div>
    </Layout>
  );
}

/** Step 2 of the code sign-up: the same page for a free and a taken address, and the code field. */
export function EmailSignupCodePage(props: { page: PageContext; email: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("emailSignup.enterTitle")}>
      <div class="card">
        <h1>{t("emailSignup.enterTitle")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("emailSignup.codeSent", { email: props.email })}</p>
        <form method="post" action="/signup/code/verify" novalidate>
          <CsrfField token={props.page.csrfToken} />
          {/* Only for the page's branding (the request row keeps the journey itself). */}
          <ReturnToField value={props.returnTo} />
          <CodeField label={t("common.code")} error={props.error} />
          <button type="submit">{t("emailSignup.submit")}</button>
        </form>
        <BackToSignup page={props.page} returnTo={props.returnTo} />
      </div>
    </Layout>
  );
}

/**
 * Waiting for the emailed link (link sign-up, and SMS sign-up once the phone is verified), in the browser
 * that signed up, with the field for the code the link shows when it is opened on another device.
 */
export function SignupLinkWaitingPage(props: { page: PageContext; title: string; text: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={props.title}>
      <div class="card">
        <h1>{props.title}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{props.text}</p>
        <form method="post" action="/signup/link/code" novalidate>
          <CsrfField token={props.page.csrfToken} />
          {/* Only for the page's branding (the request row keeps the journey itself). */}
          <ReturnToField value={props.returnTo} />
          <CodeField label={t("common.code")} error={props.error} autofocus={false} />
          <p class="hint">{t("emailSignup.codeHint")}</p>
          <button type="submit">{t("emailSignup.submit")}</button>
        </form>
        <BackToSignup page={props.page} returnTo={props.returnTo} />
      </div>
    </Layout>
  );
}

/** The link opened in the browser that signed up: one button, so a prefetching mail scanner creates nothing. */
export function SignupLinkConfirmPage(props: { page: PageContext; email: string; token: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("emailSignup.confirmTitle")}>
      <div class="card">
        <h1>{t("emailSignup.confirmTitle")}</h1>
        <p>{t("emailSignup.confirmBody", { email: props.email })}</p>
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/signup/link/confirm"
          label={t("emailSignup.confirmSubmit")}
          fields={{ token: props.token }}
          autofocus
        />
      </div>
    </Layout>
  );
}

/** The link opened in another browser: no account here, only the code to type where the sign-up started. */
export function SignupLinkOtherBrowserPage(props: { page: PageContext; code: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("emailSignup.otherTitle")}>
      <div class="card">
        <h1>{t("emailSignup.otherTitle")}</h1>
        <p>{t("emailSignup.otherBody")}</p>
        <p class="message-text">
          <strong data-testid="signup-link-code">{props.code}</strong>
        </p>
        <Notice kind="info" text={t("emailSignup.otherWarning")} />
      </div>
    </Layout>
  );
}

/** Step 1 of the SMS sign-up: address, mobile number (autocomplete `tel`) and an optional name. */
export function SmsSignupPage(props: {
  page: PageContext;
  email?: string;
  phone?: string;
  name?: string;
  errors?: FieldErrors;
  phoneError?: string;
  flash?: Flash;
  returnTo?: string;
  turnstile?: TurnstileWidgetProps;
}) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("sms.signup.title")}>
      <div class="card">
        <h1>{t("sms.signup.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : <p>{t("sms.signup.body")}</p>}
        <form method="post" action="/signup/sms" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <AddressFields page={props.page} email={props.email} name={props.name} errors={props.errors ?? {}} autofocus={!props.phoneError} />
          <PhoneField t={t} value={props.phone} error={props.phoneError} autofocus={Boolean(props.phoneError)} />
          {props.turnstile ? <TurnstileWidget {...props.turnstile} page={props.page} /> : null}
          <button type="submit">{t("sms.signup.submit")}</button>
        </form>
        <BackToSignup page={props.page} returnTo={props.returnTo} />
      </div>
    </Layout>
  );
}

/** Step 2 of the SMS sign-up: the texted code (autocomplete `one-time-code`). */
export function SmsSignupCodePage(props: { page: PageContext; shownPhone: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("sms.signup.codeTitle")}>
      <div class="card">
        <h1>{t("sms.signup.codeTitle")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("sms.signup.codeSent", { phone: props.shownPhone })}</p>
        <form method="post" action="/signup/sms/verify" novalidate>
          <CsrfField token={props.page.csrfToken} />
          {/* Only for the page's branding (the request row keeps the journey itself). */}
          <ReturnToField value={props.returnTo} />
          <CodeField label={t("common.code")} error={props.error} />
          <button type="submit">{t("sms.signup.codeSubmit")}</button>
        </form>
        <BackToSignup page={props.page} returnTo={props.returnTo} />
      </div>
    </Layout>
  );
}

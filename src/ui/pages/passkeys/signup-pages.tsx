import type { FieldErrors } from "../../../services/validation";
import type { Flash } from "../../components";
import { CsrfField, Field, Notice, problemText } from "../../components";
import { Layout, type PageContext } from "../../layout";
import { TurnstileWidget, type TurnstileWidgetProps } from "../risk-turnstile";
import { PasskeyButton } from "./passkey-button";

/** Step 1 of a passwordless sign-up: the address (and an optional name) to email the link to. */
export function PasskeySignupPage(props: {
  page: PageContext;
  email?: string;
  name?: string;
  errors?: FieldErrors;
  flash?: Flash;
  returnTo?: string;
  /** A borderline source must pass Turnstile (services/risk/turnstile-gate.ts). */
  turnstile?: TurnstileWidgetProps;
}) {
  const { t } = props.page;
  const errors = props.errors ?? {};
  return (
    <Layout page={props.page} title={t("passkeys.signup.title")}>
      <div class="card">
        <h1>{t("passkeys.signup.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("passkeys.signup.body")}</p>
        <form method="post" action="/signup/passkey" novalidate>
          <CsrfField token={props.page.csrfToken} />
          {props.returnTo ? <input type="hidden" name="return_to" value={props.returnTo} /> : null}
          <Field
            id="email"
            name="email"
            type="email"
            label={t("common.email")}
            autocomplete="email"
            value={props.email}
            error={problemText(t, errors.email, 0)}
            autofocus
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
            error={problemText(t, errors.name, 0)}
            maxlength={100}
          />
          {props.turnstile ? <TurnstileWidget {...props.turnstile} page={props.page} /> : null}
          <button type="submit">{t("passkeys.signup.submit")}</button>
        </form>
        <p class="links">
          {t("signup.haveAccount")} <a href="/login">{t("signup.login")}</a>
        </p>
      </div>
    </Layout>
  );
}

/** Step 3: the emailed link was opened; the button creates the passkey and, with it, the account. */
export function PasskeySignupContinuePage(props: { page: PageContext; email: string; token: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("passkeys.signup.continueTitle")}>
      <div class="card">
        <h1>{t("passkeys.signup.continueTitle")}</h1>
        <p>{t("passkeys.signup.continueBody", { email: props.email })}</p>
        <noscript>
          <Notice kind="info" text={t("passkeys.unsupported")} />
        </noscript>
        <PasskeyButton
          page={props.page}
          id="passkey-signup"
          ceremony="create"
          label={t("passkeys.signup.create")}
          optionsUrl="/signup/passkey/options"
          finishUrl="/signup/passkey/finish"
          fields={{ token: props.token }}
        />
      </div>
    </Layout>
  );
}

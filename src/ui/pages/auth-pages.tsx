import type { SignupMethod } from "../../services/branding/branding-model";
import { signupMethodsToShow } from "../../services/branding/signup-methods";
import type { FieldErrors } from "../../services/validation";
import { CsrfField, Field, type Flash, NewPasswordField, Notice, PostButton, problemText } from "../components";
import type { MessageKey } from "../i18n";
import { Layout, type PageContext } from "../layout";
import { strengthMeterScript } from "../strength-meter";
import { defaultTheme } from "../theme";
import { withReturnTo } from "./email-login-fields";
import { FederationButtons, type ProviderButton } from "./federation-pages";
import { PasskeyLoginBox } from "./passkeys/passkey-button";
import { TurnstileWidget, type TurnstileWidgetProps } from "./risk-turnstile";

/** Where to go after the flow (an authorization request waiting for this login or sign-up). */
function ReturnToField(props: { value?: string }) {
  return props.value ? <input type="hidden" name="return_to" value={props.value} /> : null;
}

export type { Flash } from "../components";

/** Each passwordless method's own page (`/signup/passkey`, `/signup/code`, …) and the key of its link text. */
const SIGNUP_METHOD_LINKS = {
  passkey: { path: "/signup/passkey", text: "passkeys.signupLink" },
  email_code: { path: "/signup/code", text: "emailSignup.codeOption" },
  magic_link: { path: "/signup/link", text: "emailSignup.linkOption" },
  sms: { path: "/signup/sms", text: "sms.signup.option" },
} as const satisfies Partial<Record<SignupMethod, { path: string; text: MessageKey }>>;

export function SignupPage(props: {
  page: PageContext;
  minLength: number;
  email?: string;
  name?: string;
  errors?: FieldErrors;
  flash?: Flash;
  returnTo?: string;
  providers?: readonly ProviderButton[];
  /** A borderline source must pass Turnstile (services/risk/turnstile-gate.ts). */
  turnstile?: TurnstileWidgetProps;
  /** What this deployment can carry out (services/signup-methods/offered-methods.ts); the branding picks and orders. */
  available: readonly SignupMethod[];
}) {
  const { t } = props.page;
  const errors = props.errors ?? {};
  return (
    <Layout page={props.page} title={t("signup.title")} script={strengthMeterScript(props.page)}>
      <div class="card">
        <h1>{t("signup.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        {/* The app's sign-up methods, in its order (branding `signup_methods`). */}
        {signupMethodsToShow(props.page.theme ?? defaultTheme, props.available).map((method) =>
          method === "password" ? (
            <form method="post" action="/signup" novalidate>
              <CsrfField token={props.page.csrfToken} />
              <ReturnToField value={props.returnTo} />
              <Field
                id="email"
                name="email"
                type="email"
                label={t("common.email")}
                autocomplete="email"
                value={props.email}
                error={problemText(t, errors.email, props.minLength)}
                autofocus={!props.email}
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
                error={problemText(t, errors.name, props.minLength)}
                maxlength={100}
              />
              <NewPasswordField
                t={t}
                id="password"
                name="password"
                label={t("common.password")}
                minLength={props.minLength}
                problem={errors.password}
                autofocus={Boolean(props.email)}
                meter
              />
              {props.turnstile ? <TurnstileWidget {...props.turnstile} page={props.page} /> : null}
              <button type="submit">{t("signup.submit")}</button>
            </form>
          ) : method === "social" ? (
            <FederationButtons page={props.page} providers={props.providers ?? []} returnTo={props.returnTo} />
          ) : (
            <p class="links">
              <a href={withReturnTo(SIGNUP_METHOD_LINKS[method].path, props.returnTo)}>{t(SIGNUP_METHOD_LINKS[method].text)}</a>
            </p>
          ),
        )}
        <p class="links">
          {t("signup.haveAccount")} <a href="/login">{t("signup.login")}</a>
        </p>
      </div>
    </Layout>
  );
}

export function CheckEmailPage(props: { page: PageContext; email: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("checkEmail.title")}>
      <div class="card">
        <h1>{t("checkEmail.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("checkEmail.body", { email: props.email })}</p>
        <form method="post" action="/verify/code" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <input type="hidden" name="email" value={props.email} />
          <Field
            id="code"
            name="code"
            type="text"
            label={t("common.code")}
            autocomplete="one-time-code"
            inputmode="numeric"
            pattern="[0-9]{6}"
            maxlength={6}
            error={props.error}
            autofocus
          />
          <button type="submit">{t("checkEmail.submit")}</button>
        </form>
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/verify/resend"
          label={t("checkEmail.resend")}
          variant="secondary"
          fields={props.returnTo ? { email: props.email, return_to: props.returnTo } : { email: props.email }}
        />
      </div>
    </Layout>
  );
}

/** "Confirm this link" page: opening an emailed link shows it, and only its button (a POST) uses the token. */
export function ConfirmLinkPage(props: { page: PageContext; title: string; text: string; action: string; token: string; submit: string }) {
  return (
    <Layout page={props.page} title={props.title}>
      <div class="card">
        <h1>{props.title}</h1>
        <p>{props.text}</p>
        <PostButton csrfToken={props.page.csrfToken} action={props.action} label={props.submit} fields={{ token: props.token }} autofocus />
      </div>
    </Layout>
  );
}

export function LoginPage(props: {
  page: PageContext;
  email?: string;
  flash?: Flash;
  returnTo?: string;
  providers?: readonly ProviderButton[];
  turnstile?: TurnstileWidgetProps;
  /** Whether texts can be sent here (a provider is configured): only then is SMS login offered. */
  sms?: boolean;
}) {
  const { t } = props.page;
  const signupHref = props.returnTo ? `/signup?${new URLSearchParams({ return_to: props.returnTo })}` : "/signup";
  return (
    <Layout page={props.page} title={t("login.title")}>
      <div class="card">
        <h1>{t("login.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <form method="post" action="/login" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <Field
            id="email"
            name="email"
            type="email"
            label={t("common.email")}
            autocomplete="username webauthn"
            value={props.email}
            autofocus={!props.email}
            maxlength={254}
            inputmode="email"
          />
          <Field id="password" name="password" type="password" label={t("common.password")} autocomplete="current-password" autofocus={Boolean(props.email)} />
          {props.turnstile ? <TurnstileWidget {...props.turnstile} page={props.page} /> : null}
          <button type="submit">{t("login.submit")}</button>
        </form>
        <PasskeyLoginBox page={props.page} returnTo={props.returnTo} />
        <FederationButtons page={props.page} providers={props.providers ?? []} returnTo={props.returnTo} />
        <p class="links">
          <a href={withReturnTo("/forgot", props.returnTo)}>{t("login.forgot")}</a>
        </p>
        <p class="links">
          <a href={withReturnTo("/login/code", props.returnTo)}>{t("emailLogin.codeOption")}</a>
          {" · "}
          <a href={withReturnTo("/login/link", props.returnTo)}>{t("emailLogin.linkOption")}</a>
          {props.sms ? " · " : null}
          {props.sms ? <a href={withReturnTo("/login/sms", props.returnTo)}>{t("sms.login.link")}</a> : null}
        </p>
        <p class="links">
          {t("login.noAccount")} <a href={signupHref}>{t("login.signup")}</a>
        </p>
      </div>
    </Layout>
  );
}

/** `returnTo`: the login journey the reset was asked from; the emailed link remembers it. */
export function ForgotPage(props: { page: PageContext; email?: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("forgot.title")}>
      <div class="card">
        <h1>{t("forgot.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : <p>{t("forgot.body")}</p>}
        <form method="post" action="/forgot" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <Field
            id="email"
            name="email"
            type="email"
            label={t("common.email")}
            autocomplete="email"
            value={props.email}
            error={props.error}
            autofocus
            maxlength={254}
            inputmode="email"
          />
          <button type="submit">{t("forgot.submit")}</button>
        </form>
        <p class="links">
          <a href={withReturnTo("/login", props.returnTo)}>{t("common.back")}</a>
        </p>
      </div>
    </Layout>
  );
}

export function ResetPage(props: { page: PageContext; token: string; minLength: number; errors?: FieldErrors }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("reset.title")} script={strengthMeterScript(props.page)}>
      <div class="card">
        <h1>{t("reset.title")}</h1>
        <form method="post" action="/reset" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <input type="hidden" name="token" value={props.token} />
          <NewPasswordField
            t={t}
            id="password"
            name="new_password"
            label={t("common.newPassword")}
            minLength={props.minLength}
            problem={props.errors?.newPassword}
            autofocus
            meter
          />
          <button type="submit">{t("reset.submit")}</button>
        </form>
      </div>
    </Layout>
  );
}

/** A page with one message and a way on: verified, reset done, link dead, account deleted. */
export function MessagePage(props: {
  page: PageContext;
  title: string;
  flash: NonNullable<Flash>;
  linkHref: string;
  linkText: string;
  /** A second, optional way on (e.g. "verify a mobile number too" after the email is verified). */
  also?: { href: string; text: string };
}) {
  return (
    <Layout page={props.page} title={props.title}>
      <div class="card">
        <h1>{props.title}</h1>
        <Notice kind={props.flash.kind} text={props.flash.text} />
        <a class="button" href={props.linkHref}>
          {props.linkText}
        </a>
        {props.also ? (
          <p class="links">
            <a href={props.also.href}>{props.also.text}</a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}

export function ErrorPage(props: { page: PageContext; status: number; requestId: string }) {
  const { t } = props.page;
  const key = ([400, 403, 404, 413, 415, 429, 503] as const).find((code) => code === props.status) ?? 500;
  return (
    <Layout page={props.page} title={t("error.title")}>
      <div class="card">
        <h1>{t("error.title")}</h1>
        <Notice kind="error" text={t(`error.${key}`)} />
        <p class="hint">Request ID: {props.requestId}</p>
        <a class="button" href="/login">
          {t("error.home")}
        </a>
      </div>
    </Layout>
  );
}

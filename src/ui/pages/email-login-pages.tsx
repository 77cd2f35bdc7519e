import type { Flash } from "../components";
import { CsrfField, Field, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";
import { CodeField, ReturnToField, withReturnTo } from "./email-login-fields";

/** The address form shared by "email me a code" and "email me a link". */
function AddressForm(props: { page: PageContext; action: string; submit: string; email?: string; error?: string; returnTo?: string }) {
  const { t } = props.page;
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField token={props.page.csrfToken} />
      <ReturnToField value={props.returnTo} />
      <Field
        id="email"
        name="email"
        type="email"
        label={t("common.email")}
        autocomplete="username"
        value={props.email}
        error={props.error}
        autofocus
        maxlength={254}
        inputmode="email"
      />
      <button type="submit">{props.submit}</button>
    </form>
  );
}

function OtherMethods(props: { page: PageContext; returnTo?: string; except: "code" | "link" }) {
  const { t } = props.page;
  return (
    <p class="links">
      <a href={withReturnTo("/login", props.returnTo)}>{t("emailLogin.passwordOption")}</a>
      {" · "}
      {props.except === "code" ? (
        <a href={withReturnTo("/login/link", props.returnTo)}>{t("emailLogin.linkOption")}</a>
      ) : (
        <a href={withReturnTo("/login/code", props.returnTo)}>{t("emailLogin.codeOption")}</a>
      )}
    </p>
  );
}

/** Step 1 of the email-code login: which address. */
export function EmailCodeRequestPage(props: { page: PageContext; email?: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("emailCode.title")}>
      <div class="card">
        <h1>{t("emailCode.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : <p>{t("emailCode.body")}</p>}
        <AddressForm page={props.page} action="/login/code" submit={t("emailCode.send")} email={props.email} error={props.error} returnTo={props.returnTo} />
        <OtherMethods page={props.page} returnTo={props.returnTo} except="code" />
      </div>
    </Layout>
  );
}

/** Step 2: the same answer whether or not the address has an account, and the code field. */
export function EmailCodeEnterPage(props: { page: PageContext; email: string; error?: string | null; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("emailCode.enterTitle")}>
      <div class="card">
        <h1>{t("emailCode.enterTitle")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("emailCode.sent", { email: props.email })}</p>
        <form method="post" action="/login/code/verify" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <ReturnToField value={props.returnTo} />
          <input type="hidden" name="email" value={props.email} />
          <CodeField label={t("common.code")} error={props.error} />
          <button type="submit">{t("emailCode.submit")}</button>
        </form>
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/login/code"
          label={t("emailCode.resend")}
          variant="secondary"
          fields={{ email: props.email, ...(props.returnTo ? { return_to: props.returnTo } : {}) }}
        />
        <OtherMethods page={props.page} returnTo={props.returnTo} except="code" />
      </div>
    </Layout>
  );
}

/** Step 1 of the magic-link login: which address. */
export function MagicLinkRequestPage(props: { page: PageContext; email?: string; error?: string; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("magicLink.title")}>
      <div class="card">
        <h1>{t("magicLink.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : <p>{t("magicLink.body")}</p>}
        <AddressForm page={props.page} action="/login/link" submit={t("magicLink.send")} email={props.email} error={props.error} returnTo={props.returnTo} />
        <OtherMethods page={props.page} returnTo={props.returnTo} except="link" />
      </div>
    </Layout>
  );
}

/**
 * Step 2, in the browser that asked: "check your mail", and the code field for when the link was opened
 * on another device (that device shows the code instead of logging in).
 */
export function MagicLinkWaitingPage(props: { page: PageContext; email: string; error?: string | null; flash?: Flash; returnTo?: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("magicLink.sentTitle")}>
      <div class="card">
        <h1>{t("magicLink.sentTitle")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("magicLink.sent", { email: props.email })}</p>
        <form method="post" action="/login/link/code" novalidate>
          <CsrfField token={props.page.csrfToken} />
          <input type="hidden" name="email" value={props.email} />
          <CodeField label={t("common.code")} error={props.error} autofocus={false} />
          <p class="hint">{t("magicLink.codeHint")}</p>
          <button type="submit">{t("magicLink.codeSubmit")}</button>
        </form>
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/login/link"
          label={t("magicLink.newLink")}
          variant="secondary"
          fields={{ email: props.email, ...(props.returnTo ? { return_to: props.returnTo } : {}) }}
        />
      </div>
    </Layout>
  );
}

/** The link opened in the browser that asked for it: one button, so a prefetching mail scanner consumes nothing. */
export function MagicLinkConfirmPage(props: { page: PageContext; email: string; token: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("magicLink.confirmTitle")}>
      <div class="card">
        <h1>{t("magicLink.confirmTitle")}</h1>
        <p>{t("magicLink.confirmBody", { email: props.email })}</p>
        <PostButton
          csrfToken={props.page.csrfToken}
          action="/login/link/confirm"
          label={t("magicLink.confirmSubmit")}
          fields={{ token: props.token }}
          autofocus
        />
      </div>
    </Layout>
  );
}

/** The link opened in another browser: it does not log this one in, it shows the code to type in the first. */
export function MagicLinkOtherBrowserPage(props: { page: PageContext; code: string }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("magicLink.otherTitle")}>
      <div class="card">
        <h1>{t("magicLink.otherTitle")}</h1>
        <p>{t("magicLink.otherBody")}</p>
        <p class="message-text">
          <strong data-testid="magic-link-code">{props.code}</strong>
        </p>
        <Notice kind="info" text={t("magicLink.otherWarning")} />
      </div>
    </Layout>
  );
}

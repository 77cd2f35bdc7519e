import { CsrfField, Field, Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";

/**
 * The app the user came from requires a verified email address or phone number (`require_verified`):
 * a code form (the email also carries a link), a resend button and a way back to the app once done.
 */
export function VerifyRequiredPage(props: {
  page: PageContext;
  interaction: string;
  clientName: string;
  email: string;
  missing: ("email" | "phone")[];
  error?: string;
  flash?: { kind: "info" | "success" | "error"; text: string } | null;
  phoneHref: string;
}) {
  const { t } = props.page;
  const needsEmail = props.missing.includes("email");
  const title = needsEmail ? t("branding.verifyRequired.title") : t("branding.verifyRequired.phoneTitle");
  const resumeAt = `/authorize?interaction=${props.interaction}`;
  return (
    <Layout page={props.page} title={title}>
      <div class="card">
        <h1>{title}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        {needsEmail ? (
          <>
            <p>{t("branding.verifyRequired.body", { client: props.clientName, email: props.email })}</p>
            <form method="post" action="/verify/required" novalidate>
              <CsrfField token={props.page.csrfToken} />
              <input type="hidden" name="interaction" value={props.interaction} />
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
              action="/verify/required/resend"
              label={t("branding.verifyRequired.resend")}
              variant="secondary"
              fields={{ interaction: props.interaction }}
            />
          </>
        ) : null}
        {props.missing.includes("phone") ? (
          <>
            <h2>{t("branding.verifyRequired.phoneTitle")}</h2>
            <p>{t("branding.verifyRequired.phoneBody", { client: props.clientName })}</p>
            <p>
              <a class="button secondary" href={props.phoneHref}>
                {t("branding.verifyRequired.phoneLink")}
              </a>
            </p>
          </>
        ) : null}
        <p class="links">
          <a href={resumeAt}>{t("branding.verifyRequired.continue")}</a>
        </p>
      </div>
    </Layout>
  );
}

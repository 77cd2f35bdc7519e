import type { ProfileField } from "../../services/profile/fields";
import type { ValueProblem } from "../../services/profile/values";
import { CsrfField, Notice } from "../components";
import type { MessageKey } from "../i18n";
import { Layout, type PageContext } from "../layout";
import { ProfileFieldInput } from "./profile-fields";

interface FormState {
  values: Record<string, unknown>;
  errors?: Record<string, ValueProblem>;
}

function Fields(props: { page: PageContext; fields: ProfileField[]; state: FormState }) {
  // Refused answers with no input on this page (a forged `email_verified`, `role`, …) are named here.
  const elsewhere = new Set(
    Object.entries(props.state.errors ?? {}).flatMap(([key, problem]) => (props.fields.some((field) => field.key === key) ? [] : [problem])),
  );
  return (
    <>
      {[...elsewhere].map((problem) => (
        <Notice kind="error" text={props.page.t(`profile.problem.${problem}` as MessageKey)} />
      ))}
      {props.fields.map((field) => (
        <ProfileFieldInput page={props.page} field={field} value={props.state.values[field.key]} error={props.state.errors?.[field.key]} />
      ))}
    </>
  );
}

/**
 * The login interstitial: at most a few fields, one short form. "Not now" is offered whenever every field
 * shown is optional; the customer is already signed in either way.
 */
export function ProfileCompletePage(props: { page: PageContext; fields: ProfileField[]; canSkip: boolean; returnTo: string; state: FormState }) {
  const { t, csrfToken } = props.page;
  return (
    <Layout page={props.page} title={t("profile.title")}>
      <div class="card">
        <h1>{t("profile.title")}</h1>
        {props.state.errors ? <Notice kind="error" text={t("common.errorSummary")} /> : null}
        <p>{t(props.canSkip ? "profile.intro" : "profile.introRequired")}</p>
        <form method="post" action="/profile/complete" novalidate>
          <CsrfField token={csrfToken} />
          <input type="hidden" name="return_to" value={props.returnTo} />
          <Fields page={props.page} fields={props.fields} state={props.state} />
          <button type="submit">{t("profile.save")}</button>
        </form>
        {props.canSkip ? (
          <form method="post" action="/profile/complete/skip">
            <CsrfField token={csrfToken} />
            <input type="hidden" name="return_to" value={props.returnTo} />
            <button type="submit" class="secondary">
              {t("profile.skip")}
            </button>
          </form>
        ) : null}
      </div>
    </Layout>
  );
}

/** The account's profile details: every field of the schema, to see and edit. */
export function ProfileDetailsPage(props: { page: PageContext; fields: ProfileField[]; state: FormState; saved: boolean }) {
  const { t, csrfToken } = props.page;
  return (
    <Layout page={props.page} title={t("profile.details.title")}>
      <div class="card">
        <h1>{t("profile.details.title")}</h1>
        {props.saved ? <Notice kind="success" text={t("profile.details.saved")} /> : null}
        {props.state.errors ? <Notice kind="error" text={t("common.errorSummary")} /> : null}
        {props.fields.length === 0 ? (
          <p>{t("profile.details.none")}</p>
        ) : (
          <>
            <p>{t("profile.details.intro")}</p>
            <form method="post" action="/account/profile-details" novalidate>
              <CsrfField token={csrfToken} />
              <Fields page={props.page} fields={props.fields} state={props.state} />
              <button type="submit">{t("common.save")}</button>
            </form>
          </>
        )}
        <p class="links">
          <a href="/account">{t("profile.details.back")}</a>
        </p>
      </div>
    </Layout>
  );
}

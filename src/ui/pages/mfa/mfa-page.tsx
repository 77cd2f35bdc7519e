import type { FactorKind } from "../../../services/auth/methods";
import { Notice, PostButton } from "../../components";
import type { MessageKey } from "../../i18n";
import { Layout, type PageContext } from "../../layout";
import { MFA_PANELS } from "./panels";

/**
 * The second step of a login: the chosen factor's panel, then links to the user's other factors
 * (so a lost phone or a denied push always leaves another way), and a way out.
 */
export function MfaPage(props: {
  page: PageContext;
  pendingId: string;
  method: FactorKind | null;
  others: FactorKind[];
  stepUp: boolean;
  passkeyOnly: boolean;
  error?: string | null;
}) {
  const { t } = props.page;
  const Panel = props.method ? MFA_PANELS[props.method] : undefined;
  return (
    <Layout page={props.page} title={t("mfa.title")}>
      <div class="card">
        <h1>{t("mfa.title")}</h1>
        <p>{t(props.passkeyOnly ? "mfa.passkeyRequired" : props.stepUp ? "mfa.stepUpIntro" : "mfa.intro")}</p>
        {Panel ? (
          <section aria-labelledby="mfa-method-heading">
            <h2 id="mfa-method-heading">{t(`mfa.factor.${props.method}` as MessageKey)}</h2>
            {Panel({ page: props.page, pending: { id: props.pendingId }, error: props.error ?? null })}
          </section>
        ) : (
          <Notice kind="error" text={t("mfa.noFactor")} />
        )}
        {props.others.length > 0 ? (
          <nav aria-labelledby="mfa-others-heading">
            <h2 id="mfa-others-heading">{t("mfa.otherMethods")}</h2>
            <ul class="links">
              {props.others.map((kind) => (
                <li>
                  <a href={`/login/mfa?method=${kind}`}>{t(`mfa.factor.${kind}` as MessageKey)}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <PostButton csrfToken={props.page.csrfToken} action="/login/mfa/cancel" label={t("mfa.cancel")} variant="secondary" />
      </div>
    </Layout>
  );
}

import type { Flash } from "../components";
import { Notice, PostButton } from "../components";
import { Layout, type PageContext } from "../layout";

/**
 * `/account/recovery-codes`: how many are left and a way to make a new set; right after making one,
 * the new codes themselves (shown this once: only their hashes are kept).
 */
export function RecoveryCodesPage(props: { page: PageContext; remaining: number; total: number; fresh?: string[]; flash?: Flash }) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={t("recovery.title")}>
      <div class="card">
        <h1>{t("recovery.title")}</h1>
        {props.flash ? <Notice kind={props.flash.kind} text={props.flash.text} /> : null}
        <p>{t("recovery.intro")}</p>
        {props.fresh ? (
          <>
            <Notice kind="info" text={t("recovery.shownOnce")} />
            <ol data-testid="recovery-codes">
              {props.fresh.map((code) => (
                <li>
                  <code>{code}</code>
                </li>
              ))}
            </ol>
            <a class="button" href="/account">
              {t("recovery.saved")}
            </a>
          </>
        ) : (
          <>
            <p data-testid="recovery-remaining">
              {props.remaining > 0 ? t("recovery.remaining", { count: props.remaining, total: props.total }) : t("recovery.none")}
            </p>
            {props.remaining > 0 ? <p class="hint">{t("recovery.regenerateWarning")}</p> : null}
            <PostButton
              csrfToken={props.page.csrfToken}
              action="/account/recovery-codes"
              label={props.remaining > 0 ? t("recovery.regenerate") : t("recovery.generate")}
              variant={props.remaining > 0 ? "secondary" : undefined}
            />
            <p class="links">
              <a href="/account">{t("totp.backToAccount")}</a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

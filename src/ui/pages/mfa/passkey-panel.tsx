import { Notice } from "../../components";
import type { PageContext } from "../../layout";
import { PasskeyButton } from "../passkeys/passkey-button";

/** The passkey panel of /login/mfa: one button that asks for one of the user's passkeys or security keys. */
export function PasskeyPanel(props: { page: PageContext; pending: { id: string }; error?: string | null }) {
  const { t } = props.page;
  return (
    <>
      {props.error ? <Notice kind="error" text={props.error} /> : null}
      <p>{t("passkeys.mfa.body")}</p>
      <noscript>
        <Notice kind="info" text={t("passkeys.unsupported")} />
      </noscript>
      <PasskeyButton
        page={props.page}
        id="passkey-mfa"
        ceremony="get"
        label={t("passkeys.mfa.submit")}
        optionsUrl="/login/mfa/passkey/options"
        finishUrl="/login/mfa/passkey"
      />
    </>
  );
}

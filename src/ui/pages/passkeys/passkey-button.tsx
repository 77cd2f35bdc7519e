import type { PageContext } from "../../layout";
import { passkeyScript } from "../../scripts/passkeys";

/**
 * A button that runs a WebAuthn ceremony (see scripts/passkeys.ts), with its status line and script.
 * Hidden until the script finds WebAuthn support: without JavaScript there is nothing it could do.
 */
export function PasskeyButton(props: {
  page: PageContext;
  id: string;
  ceremony: "create" | "get";
  label: string;
  optionsUrl: string;
  finishUrl: string;
  fields?: Record<string, string>;
  /** Ids of inputs whose values are sent along (e.g. the new passkey's name). */
  inputs?: string[];
  autofill?: boolean;
  variant?: "secondary";
}) {
  return (
    <div data-passkey-box hidden>
      <button
        type="button"
        id={props.id}
        class={props.variant}
        data-passkey={props.ceremony}
        data-options={props.optionsUrl}
        data-finish={props.finishUrl}
        data-fields={JSON.stringify(props.fields ?? {})}
        data-inputs={props.inputs?.join(" ")}
        data-autofill={props.autofill ? "" : undefined}
        aria-describedby={`${props.id}-status`}
      >
        {props.label}
      </button>
      <p id={`${props.id}-status`} class="hint" role="status" aria-live="polite" />
      <script nonce={props.page.nonce} dangerouslySetInnerHTML={{ __html: passkeyScript(props.page) }} />
    </div>
  );
}

/** The "Log in with a passkey" part of the login page; also offers passkeys in the email field (autofill). */
export function PasskeyLoginBox(props: { page: PageContext; returnTo?: string }) {
  return (
    <PasskeyButton
      page={props.page}
      id="passkey-login"
      ceremony="get"
      label={props.page.t("passkeys.loginButton")}
      optionsUrl="/login/passkey/options"
      finishUrl="/login/passkey"
      fields={props.returnTo ? { return_to: props.returnTo } : {}}
      autofill
      variant="secondary"
    />
  );
}

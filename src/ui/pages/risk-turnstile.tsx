import { TURNSTILE_FIELD, TURNSTILE_SCRIPT, type TurnstileAction } from "../../services/risk/turnstile";
import type { PageContext } from "../layout";

/** What a login or sign-up form needs to show the Turnstile challenge. */
export interface TurnstileWidgetProps {
  siteKey: string;
  action: TurnstileAction;
}

/**
 * Cloudflare's Turnstile widget inside a form: it adds the `cf-turnstile-response` field the server
 * verifies. The script carries the page's CSP nonce (Turnstile works with `strict-dynamic`); the page's
 * policy also allows its iframe (middleware/security-headers.ts, `cspTurnstile`).
 */
export function TurnstileWidget(props: TurnstileWidgetProps & { page: PageContext }) {
  return (
    <>
      <div
        class="cf-turnstile"
        data-sitekey={props.siteKey}
        data-action={props.action}
        data-language={props.page.locale}
        data-response-field-name={TURNSTILE_FIELD}
      />
      <script src={TURNSTILE_SCRIPT} nonce={props.page.nonce} async defer />
    </>
  );
}

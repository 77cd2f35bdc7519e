import type { Translate } from "../i18n";

/**
 * The mobile-number input: a text input with the phone keypad (`inputmode=tel`) and `autocomplete=tel`,
 * so browsers offer the saved number in international form. Errors and the hint are tied to it.
 */
export function PhoneField(props: { t: Translate; value?: string; error?: string; autofocus?: boolean }) {
  const { t } = props;
  const describedBy = ["phone-hint", props.error ? "phone-error" : null].filter(Boolean).join(" ");
  return (
    <div>
      <label for="phone">{t("sms.phone.label")}</label>
      <input
        id="phone"
        name="phone"
        type="text"
        inputmode="tel"
        autocomplete="tel"
        value={props.value}
        required
        maxlength={32}
        placeholder="+49 151 23456789"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy}
        autofocus={props.autofocus}
        spellcheck={false}
      />
      <p class="hint" id="phone-hint">
        {t("sms.phone.hint")}
      </p>
      {props.error ? (
        <p class="field-error" id="phone-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

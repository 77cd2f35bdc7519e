import { ADDRESS_PARTS, localized, type ProfileField } from "../../services/profile/fields";
import type { ValueProblem } from "../../services/profile/values";
import type { MessageKey } from "../i18n";
import type { PageContext } from "../layout";

/** Browser autofill hints for the standard claims (HTML autocomplete tokens). */
const AUTOCOMPLETE: Record<string, string> = {
  given_name: "given-name",
  family_name: "family-name",
  middle_name: "additional-name",
  nickname: "nickname",
  preferred_username: "username",
  birthdate: "bday",
  gender: "sex",
  website: "url",
  phone_number: "tel",
};

const ADDRESS_AUTOCOMPLETE: Record<(typeof ADDRESS_PARTS)[number], string> = {
  street_address: "street-address",
  locality: "address-level2",
  region: "address-level1",
  postal_code: "postal-code",
  country: "country-name",
};

const INPUT_TYPES = { text: "text", email: "email", phone: "tel", date: "date" } as const;

/**
 * One schema field as a form control, named by its key (address parts as `<key>.<part>`), with its help and
 * error tied to it. Every text the operator wrote is rendered as text (JSX escapes it), never as markup.
 */
export function ProfileFieldInput(props: { page: PageContext; field: ProfileField; value: unknown; error?: ValueProblem }) {
  const { t, locale } = props.page;
  const { field } = props;
  const id = `profile-${field.key}`;
  const label = `${localized(field.label, locale)}${field.required ? "" : ` (${t("profile.optional")})`}`;
  const help = field.help ? localized(field.help, locale) : null;
  const describedBy = [help ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const invalid = props.error ? "true" : undefined;
  const notes = (
    <>
      {help ? (
        <p class="hint" id={`${id}-hint`}>
          {help}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {t(`profile.problem.${props.error}` as MessageKey)}
        </p>
      ) : null}
    </>
  );
  if (field.type === "boolean" || field.type === "address") {
    const address = typeof props.value === "object" && props.value !== null ? (props.value as Record<string, unknown>) : {};
    return (
      <fieldset class="profile-field" data-field={field.key} aria-describedby={describedBy}>
        <legend>{label}</legend>
        {field.type === "boolean"
          ? (["true", "false"] as const).map((choice) => (
              <label class="choice">
                <input type="radio" name={field.key} value={choice} checked={String(props.value) === choice} aria-invalid={invalid} />
                {t(choice === "true" ? "profile.yes" : "profile.no")}
              </label>
            ))
          : ADDRESS_PARTS.map((part) => (
              <div>
                <label for={`${id}-${part}`}>{t(`profile.address.${part}` as MessageKey)}</label>
                <input
                  id={`${id}-${part}`}
                  name={`${field.key}.${part}`}
                  type="text"
                  maxlength={200}
                  autocomplete={ADDRESS_AUTOCOMPLETE[part]}
                  value={typeof address[part] === "string" ? address[part] : ""}
                  aria-invalid={invalid}
                />
              </div>
            ))}
        {notes}
      </fieldset>
    );
  }
  const value = typeof props.value === "string" ? props.value : "";
  return (
    <div class="profile-field" data-field={field.key}>
      <label for={id}>{label}</label>
      {field.type === "select" ? (
        <select id={id} name={field.key} aria-invalid={invalid} aria-describedby={describedBy}>
          <option value="">{t("profile.choose")}</option>
          {(field.options ?? []).map((option) => (
            <option value={option.value} selected={option.value === value}>
              {localized(option.label, locale)}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name={field.key}
          type={INPUT_TYPES[field.type]}
          value={value}
          autocomplete={AUTOCOMPLETE[field.key] ?? (field.type === "email" ? "email" : "off")}
          maxlength={field.type === "text" ? (field.max_length ?? 500) : undefined}
          min={field.min_date}
          max={field.max_date}
          aria-invalid={invalid}
          aria-describedby={describedBy}
        />
      )}
      {notes}
    </div>
  );
}

import type { FieldProblem } from "../services/validation";
import type { Translate } from "./i18n";

/** The hidden CSRF field every form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="csrf_token" value={props.token} />;
}

/** A labelled input whose error and hint are tied to it with `aria-describedby`. */
export function Field(props: {
  id: string;
  name: string;
  label: string;
  type: "email" | "password" | "text";
  autocomplete: string;
  value?: string;
  required?: boolean;
  error?: string;
  hint?: string;
  autofocus?: boolean;
  inputmode?: "numeric" | "email" | "text";
  pattern?: string;
  maxlength?: number;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : null, props.error ? `${props.id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type}
        autocomplete={props.autocomplete}
        value={props.value}
        required={props.required ?? true}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy}
        autofocus={props.autofocus}
        inputmode={props.inputmode}
        pattern={props.pattern}
        maxlength={props.maxlength}
        spellcheck={props.type === "text" ? undefined : false}
      />
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A one-line message at the top of a form: what just happened, or what went wrong. */
export type Flash = { kind: "info" | "success" | "error"; text: string } | null;

/** Announced to screen readers as soon as the page loads (role=alert). */
export function Notice(props: { kind: "info" | "success" | "error"; text: string }) {
  return (
    <div class={`notice ${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.text}
    </div>
  );
}

/** Localizes a field problem; `min` fills the password length hint. */
export function problemText(t: Translate, problem: FieldProblem | undefined, min: number): string | undefined {
  return problem ? t(`problem.${problem}`, { min }) : undefined;
}

/** A form that is just one button (log out, resend, confirm a link), with its hidden fields and CSRF token. */
export function PostButton(props: {
  csrfToken: string;
  action: string;
  label: string;
  variant?: "secondary" | "danger";
  fields?: Record<string, string>;
  autofocus?: boolean;
  inline?: boolean;
}) {
  return (
    <form class={props.inline ? "inline" : undefined} method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.variant} autofocus={props.autofocus}>
        {props.label}
      </button>
    </form>
  );
}

/** The new-password input with its length hint and, where `meter` is set, the live strength hint. */
export function NewPasswordField(props: {
  t: Translate;
  id: string;
  name: string;
  label: string;
  minLength: number;
  problem?: FieldProblem;
  autofocus?: boolean;
  meter?: boolean;
}) {
  const { t } = props;
  return (
    <>
      <Field
        id={props.id}
        name={props.name}
        type="password"
        label={props.label}
        autocomplete="new-password"
        hint={t("common.passwordHint", { min: props.minLength })}
        error={problemText(t, props.problem, props.minLength)}
        autofocus={props.autofocus}
      />
      {props.meter ? (
        <>
          <meter id="strength" min={0} max={4} value={0} aria-label={t("common.strength")} hidden />
          <p class="hint" id="strength-text" aria-live="polite" />
        </>
      ) : null}
    </>
  );
}

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

import { Field } from "../components";

/** The one-time-code input every code form uses: numeric keyboard, `one-time-code` autofill (SMS/email suggestions). */
export function CodeField(props: { label: string; error?: string | null; id?: string; autofocus?: boolean }) {
  return (
    <Field
      id={props.id ?? "code"}
      name="code"
      type="text"
      label={props.label}
      autocomplete="one-time-code"
      inputmode="numeric"
      pattern="[0-9]{6}"
      maxlength={6}
      error={props.error ?? undefined}
      autofocus={props.autofocus ?? true}
    />
  );
}

/** Where to go after the login (an authorization request waiting for it). */
export function ReturnToField(props: { value?: string }) {
  return props.value ? <input type="hidden" name="return_to" value={props.value} /> : null;
}

/** `/login?return_to=…`, keeping the waiting request when switching between login methods. */
export function withReturnTo(path: string, returnTo?: string): string {
  return returnTo ? `${path}?${new URLSearchParams({ return_to: returnTo })}` : path;
}

/** Form names that are ours, not answers. */
const FORM_CONTROLS = new Set(["csrf_token", "return_to"]);

/**
 * A profile form as answers by field key: `<key>` is a plain answer, `<key>.<part>` a part of an address.
 * Every other name is passed on as is, so the services refuse what the schema doesn't know
 * (`email_verified`, `role`, …) instead of it being silently dropped.
 */
export function formAnswers(form: Record<string, string>): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (FORM_CONTROLS.has(name)) continue;
    const dot = name.indexOf(".");
    if (dot < 0) {
      answers[name] = value;
      continue;
    }
    const key = name.slice(0, dot);
    const current = answers[key];
    // A plain answer and address parts under one key: a forged form; an array is refused as the wrong type.
    const parts =
      typeof current === "object" && current !== null && !Array.isArray(current) ? (current as Record<string, string>) : current === undefined ? {} : null;
    answers[key] = parts ? { ...parts, [name.slice(dot + 1)]: value } : [current, value];
  }
  return answers;
}

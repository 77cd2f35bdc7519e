import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { normalizeEmail } from "../../lib/email";
import { ADDRESS_PARTS, type AddressValue, MAX_TEXT_LENGTH, type ProfileField } from "./fields";
import { compilePattern, isIsoDate } from "./schema-rules";

/** Why one answer was refused; the pages localize it (`profile.problem.<code>`), the admin API reports it. */
export type ValueProblem = "unknown_field" | "wrong_type" | "too_long" | "html" | "invalid" | "required" | "not_an_option" | "out_of_range";

/** What one save changes: values to store (already normalized) and answers to remove. */
export interface ProfileChanges {
  set: Record<string, unknown>;
  clear: string[];
}

export type CheckedAnswers = { ok: true; changes: ProfileChanges } | { ok: false; errors: Record<string, ValueProblem> };

/** A value that is not a field's answer at all (rather than a wrong one). */
const ABSENT = Symbol("absent");

/** A refused answer (a class, so it cannot be mistaken for a stored value). */
class Refused {
  constructor(readonly problem: ValueProblem) {}
}

/**
 * Checks a customer's answers against the schema, server-side, before anything is stored. Every key must be
 * a field of the schema (`email_verified`, `role`, … are refused); an empty answer removes the stored one,
 * except for `mustAnswer` fields. One refused answer refuses the whole save: nothing is half-written.
 */
export function checkAnswers(fields: readonly ProfileField[], input: Record<string, unknown>, mustAnswer: ReadonlySet<string> = new Set()): CheckedAnswers {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const errors: Record<string, ValueProblem> = {};
  const changes: ProfileChanges = { set: {}, clear: [] };
  for (const [key, raw] of Object.entries(input)) {
    const field = byKey.get(key);
    if (!field) {
      errors[key] = "unknown_field";
      continue;
    }
    const checked = checkValue(field, raw);
    if (checked instanceof Refused) errors[key] = checked.problem;
    else if (checked === ABSENT) {
      if (mustAnswer.has(key)) errors[key] = "required";
      else changes.clear.push(key);
    } else changes.set[key] = checked;
  }
  for (const key of mustAnswer) if (!(key in input) && !errors[key]) errors[key] = "required";
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, changes };
}

type Checked = unknown;

function checkValue(field: ProfileField, raw: unknown): Checked {
  if (raw === null || raw === undefined || raw === "") return ABSENT;
  switch (field.type) {
    case "boolean":
      if (raw === true || raw === "true") return true;
      if (raw === false || raw === "false") return false;
      return new Refused("wrong_type");
    case "address":
      return checkAddress(raw);
    default: {
      if (typeof raw !== "string") return new Refused("wrong_type");
      const text = raw.trim().normalize("NFC");
      if (text === "") return ABSENT;
      return checkString(field, text);
    }
  }
}

/** Free text: no markup (refused, not escaped: a value may end up in an app's page unescaped), no control characters. */
function plainText(text: string, maxLength: number): Refused | null {
  if ([...text].length > maxLength) return new Refused("too_long");
  if (/[<>]/.test(text)) return new Refused("html");
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(text)) return new Refused("invalid");
  return null;
}

function checkString(field: ProfileField, text: string): Checked {
  switch (field.type) {
    case "text": {
      const refused = plainText(text, Math.min(field.max_length ?? MAX_TEXT_LENGTH, MAX_TEXT_LENGTH));
      if (refused) return refused;
      if (field.pattern !== undefined && !compilePattern(field.pattern)?.test(text)) return new Refused("invalid");
      return text;
    }
    case "email":
      if (text.length > MAX_TEXT_LENGTH) return new Refused("too_long");
      return normalizeEmail(text) ?? new Refused("invalid");
    case "phone": {
      if (text.length > 32) return new Refused("too_long");
      // International form only: without a country we would have to guess which one.
      const phone = text.startsWith("+") ? parsePhoneNumberFromString(text) : undefined;
      return phone?.isValid() ? phone.number : new Refused("invalid");
    }
    case "date":
      if (text.length > 10) return new Refused("too_long");
      if (!isIsoDate(text)) return new Refused("invalid");
      if ((field.min_date && text < field.min_date) || (field.max_date && text > field.max_date)) return new Refused("out_of_range");
      return text;
    case "select":
      return field.options?.some((option) => option.value === text) ? text : new Refused("not_an_option");
    default:
      return new Refused("wrong_type");
  }
}

/** An OIDC address object: only its known parts, each plain text; all parts empty means no address. */
function checkAddress(raw: unknown): Checked {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return new Refused("wrong_type");
  const address: AddressValue = {};
  for (const [part, value] of Object.entries(raw)) {
    if (!(ADDRESS_PARTS as readonly string[]).includes(part)) return new Refused("unknown_field");
    if (value === null || value === undefined) continue;
    if (typeof value !== "string") return new Refused("wrong_type");
    const text = value.trim().normalize("NFC");
    if (text === "") continue;
    const refused = plainText(text, 200);
    if (refused) return refused;
    address[part as (typeof ADDRESS_PARTS)[number]] = text;
  }
  return Object.keys(address).length > 0 ? address : ABSENT;
}

/** A stored value in the shape its field expects now (the schema may have changed since it was saved). */
export function currentValue(field: ProfileField, stored: unknown): unknown {
  if (stored === undefined || stored === null) return undefined;
  if (field.type === "boolean") return typeof stored === "boolean" ? stored : undefined;
  if (field.type === "address") return typeof stored === "object" && !Array.isArray(stored) ? stored : undefined;
  if (typeof stored !== "string") return undefined;
  if (field.type === "select" && !field.options?.some((option) => option.value === stored)) return undefined;
  return stored;
}

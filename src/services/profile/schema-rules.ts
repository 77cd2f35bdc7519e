import { type ProfileField, RESERVED_KEYS, STANDARD_CLAIM_FIELDS } from "./fields";

/** One refused part of a profile schema: where (a JSON path under the body), a stable code, and why. */
export interface SchemaIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The operator's pattern as an anchored, Unicode-aware expression; null when it does not compile. */
export function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, "u");
  } catch {
    return null;
  }
}

/**
 * The rules that tie a schema's fields together, beyond each field's shape (which zod checks): unique
 * keys, no reserved keys, standard claims only with a fitting type, options only where they mean something.
 */
export function schemaIssues(fields: readonly ProfileField[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    const at = (...rest: (string | number)[]) => ["fields", index, ...rest];
    if (seen.has(field.key)) issues.push({ path: at("key"), code: "duplicate_key", message: `key ${field.key} is used by another field` });
    seen.add(field.key);
    if (RESERVED_KEYS.has(field.key))
      issues.push({ path: at("key"), code: "reserved_key", message: `${field.key} is reserved: Gatehouse itself vouches for it, customers cannot set it` });
    const standard = STANDARD_CLAIM_FIELDS[field.key];
    if (standard && !standard.types.includes(field.type))
      issues.push({ path: at("type"), code: "claim_type_mismatch", message: `the standard claim ${field.key} needs type ${standard.types.join(" or ")}` });
    const only = (name: keyof ProfileField, type: ProfileField["type"]) => {
      if (field[name] !== undefined && field.type !== type) issues.push({ path: at(name), code: "not_applicable", message: `only for fields of type ${type}` });
    };
    only("max_length", "text");
    only("pattern", "text");
    only("min_date", "date");
    only("max_date", "date");
    only("options", "select");
    if (field.pattern !== undefined && !compilePattern(field.pattern))
      issues.push({ path: at("pattern"), code: "pattern_invalid", message: "is not a valid regular expression (JavaScript, u flag)" });
    for (const bound of ["min_date", "max_date"] as const) {
      const value = field[bound];
      if (value !== undefined && !isIsoDate(value)) issues.push({ path: at(bound), code: "date_invalid", message: "must be a date written YYYY-MM-DD" });
    }
    if (field.min_date && field.max_date && field.min_date > field.max_date)
      issues.push({ path: at("max_date"), code: "date_range_empty", message: "must not be before min_date" });
    if (field.type === "select") {
      if (!field.options || field.options.length === 0) issues.push({ path: at("options"), code: "options_missing", message: "a select field needs options" });
      const values = new Set<string>();
      field.options?.forEach((option, optionIndex) => {
        if (values.has(option.value))
          issues.push({ path: at("options", optionIndex, "value"), code: "duplicate_option", message: "option values must be unique" });
        values.add(option.value);
      });
    }
  });
  return issues;
}

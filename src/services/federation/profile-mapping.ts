import { ADDRESS_PARTS, type ProfileField } from "../profile/fields";
import { checkAnswers, type ValueProblem } from "../profile/values";
import { claimAt } from "./claim-paths";
import { profileTargets } from "./mapping-targets";

/** Upstream values for profile-schema fields: the accepted ones normalized, the refused ones by problem only. */
export interface MappedFields {
  values: Record<string, unknown>;
  /** Field key → why the upstream value was refused (never the value itself: it is personal data). */
  skipped: Record<string, ValueProblem>;
}

export const NO_FIELDS: MappedFields = { values: {}, skipped: {} };

/**
 * Fills the schema fields named in `attribute_mapping` from the upstream claims. Each value passes the very
 * checks a customer's answer passes (`checkAnswers`: type, length, pattern, options, dates, no HTML, no
 * control characters), one field at a time, so one bad claim does not cost the others. A target the schema
 * no longer has, or a claim the provider did not send, fills nothing; an empty value never clears a field.
 */
export function mapProfileFields(claims: Record<string, unknown>, mapping: Record<string, string>, schema: readonly ProfileField[]): MappedFields {
  const targets = profileTargets(mapping);
  if (targets.length === 0 || schema.length === 0) return NO_FIELDS;
  const mapped: MappedFields = { values: {}, skipped: {} };
  for (const key of targets) {
    const field = schema.find((candidate) => candidate.key === key);
    const path = mapping[key];
    if (!field || path === undefined) continue;
    const raw = claimAt(claims, path);
    if (raw === undefined || raw === null) continue;
    const checked = checkAnswers([field], { [key]: asAnswer(field, raw) });
    if (!checked.ok) mapped.skipped[key] = checked.errors[key] ?? "invalid";
    else if (key in checked.changes.set) mapped.values[key] = checked.changes.set[key];
  }
  return mapped;
}

/**
 * The upstream's JSON in the shape a form answer has, before the same checks: numbers (an employee id,
 * a numeric extension attribute) as their decimal text, and of an OIDC address only the parts the
 * profile stores (`formatted` is a rendering of them, not a part).
 */
function asAnswer(field: ProfileField, raw: unknown): unknown {
  if (typeof raw === "number" && Number.isFinite(raw) && field.type !== "boolean" && field.type !== "address") return String(raw);
  if (field.type === "address" && typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const parts: Record<string, unknown> = {};
    for (const part of ADDRESS_PARTS) if (Object.hasOwn(raw, part)) parts[part] = (raw as Record<string, unknown>)[part];
    return parts;
  }
  return raw;
}

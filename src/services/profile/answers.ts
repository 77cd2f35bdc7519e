import { profileValuesStore } from "../../storage/profile-values-store";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { ProfileField } from "./fields";
import { loadProfileSchema } from "./schema";
import { type CheckedAnswers, checkAnswers, currentValue } from "./values";

/** A user's answers to the current schema's fields (answers to removed fields, or no longer valid ones, left out). */
export async function profileAnswers(deps: Pick<Deps, "db">, userId: string, fields: readonly ProfileField[]): Promise<Record<string, unknown>> {
  if (fields.length === 0) return {};
  const stored = await profileValuesStore(deps.db).all(userId);
  const answers: Record<string, unknown> = {};
  for (const field of fields) {
    const value = currentValue(field, stored[field.key]);
    if (value !== undefined) answers[field.key] = value;
  }
  return answers;
}

/**
 * Validates and stores a user's answers in one batch; a refused answer stores nothing. `mustAnswer` lists
 * fields that may not be left empty here. Audited with the field keys only (the values are personal data).
 */
export async function saveAnswers(
  deps: Deps,
  userId: string,
  input: Record<string, unknown>,
  options: { mustAnswer?: ReadonlySet<string>; source: "interstitial" | "account" | "admin"; request: RequestContext },
): Promise<CheckedAnswers> {
  const schema = await loadProfileSchema(deps);
  const checked = checkAnswers(schema.fields, input, options.mustAnswer);
  if (!checked.ok) return checked;
  const { set, clear } = checked.changes;
  const fields = [...Object.keys(set), ...clear];
  if (fields.length === 0) return checked;
  const audit = deps.audit.statement(
    options.source === "admin"
      ? { type: "admin.user_updated", outcome: "success", actorType: "admin", actorId: "admin_api_token", userId, details: { profile_fields: fields } }
      : {
          type: "user.profile_updated",
          outcome: "success",
          actorType: "user",
          actorId: userId,
          userId,
          details: { profile_fields: fields, via: options.source },
        },
    options.request,
  );
  // One batch: the answers and their audit entry are stored together or not at all.
  await deps.db.batch([audit, ...profileValuesStore(deps.db).saveStatements(userId, checked.changes, deps.clock())]);
  return checked;
}

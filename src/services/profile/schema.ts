import { settingsStore } from "../../storage/settings-store";
import type { Deps } from "../deps";
import { EMPTY_SCHEMA, type ProfileField, type ProfileSchema } from "./fields";

const SETTINGS_KEY = "profile_schema";

/**
 * The operator's profile schema (one document in `settings`). It is checked in full when written
 * (routes/admin/profile-schema.ts), so it is read back as is.
 */
export async function loadProfileSchema(deps: Pick<Deps, "db">): Promise<ProfileSchema> {
  const stored = await settingsStore(deps.db).get(SETTINGS_KEY);
  if (!stored || !Array.isArray(stored.fields)) return EMPTY_SCHEMA;
  return { fields: stored.fields as ProfileField[], updatedAt: typeof stored.updated_at === "number" ? stored.updated_at : null };
}

/** Replaces the whole schema. Answers to removed fields stay stored but are no longer shown or released. */
export async function replaceProfileSchema(deps: Pick<Deps, "db" | "clock">, fields: ProfileField[]): Promise<ProfileSchema> {
  const now = deps.clock();
  await settingsStore(deps.db).put(SETTINGS_KEY, { fields, updated_at: now }, now);
  return { fields, updatedAt: now };
}

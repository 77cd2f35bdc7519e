import { log } from "../../lib/log";
import { profileProgressStore } from "../../storage/profile-progress-store";
import type { Deps } from "../deps";
import { profileAnswers } from "./answers";
import { claimName, MAX_FIELDS_PER_PROMPT, type ProfileField, SNOOZE_LOGINS } from "./fields";
import { type RequestedData, requestedBy } from "./requested";
import { loadProfileSchema } from "./schema";

/** Where the customer stands: completed logins and the login at which they last chose "Not now". */
export interface Progress {
  loginCount: number;
  skippedAtLogin: number | null;
}

/** Whether a field's "when to ask" rule applies now (answered or not). */
function asksNow(field: ProfileField, progress: Progress, requested: RequestedData, issuerUrl: string): boolean {
  switch (field.ask.when) {
    case "signup":
      // Asked at the end of sign-up, i.e. from the first login on, until answered.
      return progress.loginCount >= 1;
    case "after_logins":
      return progress.loginCount >= field.ask.n;
    case "scope": {
      const { scopes } = field.ask;
      return requested.scopes.some((scope) => scopes.includes(scope)) || requested.claims.includes(claimName(field, issuerUrl));
    }
  }
}

/**
 * The unanswered fields to ask now, at most MAX_FIELDS_PER_PROMPT: required ones first, then in schema order.
 * After "Not now", optional fields rest for SNOOZE_LOGINS logins, so the page is never a wall.
 */
export function dueFields(
  fields: readonly ProfileField[],
  answers: Record<string, unknown>,
  progress: Progress,
  requested: RequestedData,
  issuerUrl: string,
): ProfileField[] {
  const snoozed = progress.skippedAtLogin !== null && progress.loginCount < progress.skippedAtLogin + SNOOZE_LOGINS;
  const due = fields.filter((field) => !(field.key in answers) && (field.required || !snoozed) && asksNow(field, progress, requested, issuerUrl));
  return [...due.filter((field) => field.required), ...due.filter((field) => !field.required)].slice(0, MAX_FIELDS_PER_PROMPT);
}

/** The interstitial's content for a signed-in user on their way to `returnTo`. */
export async function profilePrompt(
  deps: Pick<Deps, "db" | "config" | "clock">,
  userId: string,
  returnTo: string,
): Promise<{ fields: ProfileField[]; canSkip: boolean }> {
  const schema = await loadProfileSchema(deps);
  if (schema.fields.length === 0) return { fields: [], canSkip: true };
  const row = await profileProgressStore(deps.db).find(userId);
  const progress: Progress = { loginCount: row?.loginCount ?? 0, skippedAtLogin: row?.skippedAtLogin ?? null };
  const fields = dueFields(
    schema.fields,
    await profileAnswers(deps, userId, schema.fields),
    progress,
    await requestedBy(deps, returnTo),
    deps.config.issuerUrl,
  );
  return { fields, canSkip: fields.every((field) => !field.required) };
}

/** The path of the interstitial that continues to `returnTo`. */
export function promptPath(returnTo: string): string {
  return `/profile/complete?return_to=${encodeURIComponent(returnTo)}`;
}

/**
 * After a login's session has started: counts the login, and sends the browser to the interstitial when
 * fields are due, else on to `returnTo`. A step-up is not a new login and is not counted. Profiling must
 * never stop a login: if its storage fails, the browser simply continues.
 */
export async function destinationAfterLogin(
  deps: Pick<Deps, "db" | "config" | "clock">,
  userId: string,
  returnTo: string,
  options: { stepUp: boolean },
): Promise<string> {
  try {
    if (!options.stepUp) await profileProgressStore(deps.db).countLogin(userId, deps.clock());
    const { fields } = await profilePrompt(deps, userId, returnTo);
    return fields.length > 0 ? promptPath(returnTo) : returnTo;
  } catch (error) {
    log("error", "profile.after_login_failed", { error: error instanceof Error ? error.message : String(error) });
    return returnTo;
  }
}

/** "Not now": remembered only when every due field is optional (required ones cannot be skipped). */
export async function skipPrompt(deps: Pick<Deps, "db" | "config" | "clock">, userId: string, returnTo: string): Promise<boolean> {
  const { fields, canSkip } = await profilePrompt(deps, userId, returnTo);
  if (!canSkip) return false;
  if (fields.length > 0) await profileProgressStore(deps.db).skip(userId, deps.clock());
  return true;
}

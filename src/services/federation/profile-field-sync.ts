import { log } from "../../lib/log";
import type { IdentityProviderRow } from "../../storage/federation-schema";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import type { AttributeSyncMode } from "./attribute-sync";
import type { MappedFields } from "./profile-mapping";

/**
 * Which mapped profile-schema values replace what the account holds on a later login (attribute-sync.ts
 * has the rule): under `always` every changed one; under `unless_edited` only where the field is empty or
 * still holds exactly what this identity last put there (`previous`; null: no record, only empty fields).
 */
export function profileFieldChanges(
  current: Record<string, unknown>,
  mapped: Record<string, unknown>,
  previous: Record<string, unknown> | null,
  mode: Exclude<AttributeSyncMode, "signup">,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapped)) {
    const held = current[key];
    if (held !== undefined && sameValue(held, value)) continue;
    const untouched = held === undefined || (previous !== null && Object.hasOwn(previous, key) && sameValue(held, previous[key]));
    if (mode === "always" || untouched) changes[key] = value;
  }
  return changes;
}

/** What the identity has mapped so far: the new values, and the older ones for fields it did not send now. */
export function rememberedFields(previous: Record<string, unknown> | null, mapped: MappedFields): Record<string, unknown> | null {
  const remembered = { ...(previous ?? {}), ...mapped.values };
  return Object.keys(remembered).length > 0 ? remembered : null;
}

/** Profile values are strings, booleans or address objects: equal when their JSON with sorted keys is. */
function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

/**
 * Upstream values that failed a field's checks are never stored; the audit log says which fields and why
 * (`html`, `too_long`, …), never the value. Null when nothing was refused.
 */
export function skippedFieldsStatement(
  deps: Pick<Deps, "audit">,
  input: { userId: string; provider: Pick<IdentityProviderRow, "id">; skipped: MappedFields["skipped"] },
  request: RequestContext,
) {
  const fields = Object.keys(input.skipped);
  if (fields.length === 0) return null;
  log("warn", "federation.attribute_skipped", { provider: input.provider.id, fields: input.skipped });
  return deps.audit.statement(
    {
      type: "federation.attribute_skipped",
      outcome: "failure",
      actorType: "user",
      actorId: input.userId,
      userId: input.userId,
      details: { provider: input.provider.id, fields: input.skipped },
    },
    request,
  );
}

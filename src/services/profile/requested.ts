import type { Deps } from "../deps";
import { openInteraction } from "../oidc/interaction";

/** What the app behind a login asks for: its scopes and the claim names of its `claims` parameter. */
export interface RequestedData {
  scopes: string[];
  claims: string[];
}

const NOTHING: RequestedData = { scopes: [], claims: [] };

/**
 * Reads what a login is for from where it returns to: a paused authorization request
 * (`/authorize?interaction=…`, sealed by us, so its scope and claims can be trusted). Anything else asks for nothing.
 */
export async function requestedBy(deps: Pick<Deps, "config" | "clock">, returnTo: string): Promise<RequestedData> {
  if (!returnTo.startsWith("/authorize?")) return NOTHING;
  const sealed = new URLSearchParams(returnTo.slice("/authorize?".length)).get("interaction");
  const interaction = sealed ? await openInteraction(deps.config.keyEncryptionKey, sealed, deps.clock()) : null;
  if (!interaction) return NOTHING;
  return { scopes: (interaction.params.scope ?? "").split(" ").filter(Boolean), claims: requestedClaimNames(interaction.params.claims) };
}

/** Claim names of an OIDC `claims` request parameter (Core §5.5); malformed JSON asks for nothing. */
function requestedClaimNames(parameter: string | undefined): string[] {
  if (!parameter) return [];
  try {
    const parsed: unknown = JSON.parse(parameter);
    if (typeof parsed !== "object" || parsed === null) return [];
    const names = new Set<string>();
    for (const target of ["userinfo", "id_token"] as const) {
      const members = (parsed as Record<string, unknown>)[target];
      if (typeof members === "object" && members !== null) for (const name of Object.keys(members)) names.add(name);
    }
    return [...names];
  } catch {
    return [];
  }
}

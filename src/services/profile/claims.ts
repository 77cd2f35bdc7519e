import type { Deps } from "../deps";
import { profileAnswers } from "./answers";
import { claimName, releasingScopes } from "./fields";
import { loadProfileSchema } from "./schema";

/**
 * The profile answers a grant's scopes release, as claims for the ID token and userinfo: standard claims
 * under their OIDC scope (`given_name` with `profile`, `phone_number` with `phone`, `address` with
 * `address`), custom fields as `<issuer>/claims/<key>` with `profile` or a scope that asks for them.
 */
export async function profileClaims(deps: Pick<Deps, "db" | "config">, userId: string, scopes: readonly string[]): Promise<Record<string, unknown>> {
  const schema = await loadProfileSchema(deps);
  const released = schema.fields.filter((field) => releasingScopes(field).some((scope) => scopes.includes(scope)));
  if (released.length === 0) return {};
  const answers = await profileAnswers(deps, userId, released);
  const claims: Record<string, unknown> = {};
  for (const field of released) if (field.key in answers) claims[claimName(field, deps.config.issuerUrl)] = answers[field.key];
  return claims;
}

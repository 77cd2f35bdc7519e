import { normalizeEmail } from "../../lib/email";
import type { IdentityProviderRow } from "../../storage/federation-schema";
import type { ProfileField } from "../profile/fields";
import { normalizeName } from "../validation";
import { claimAt } from "./claim-paths";
import { type MappedFields, mapProfileFields } from "./profile-mapping";

/** The profile attributes an upstream identity fills, after the provider's `attribute_mapping`. */
export interface MappedProfile {
  /** Canonical address, or null when the provider gave none (or an invalid one). */
  email: string | null;
  /** True only when the provider said so for the very claim the address came from. */
  emailVerified: boolean;
  name: string | null;
  locale: "en" | "de" | null;
  /** Profile-schema fields, each checked like a customer's answer (refused ones are in `skipped`). */
  fields: MappedFields;
}

/**
 * Maps upstream claims to profile attributes (`attribute_mapping`: attribute → claim name or dotted path;
 * defaults for the account's attributes are the standard OIDC claims; schema fields are filled only when
 * mapped). `email_verified` speaks only about the standard `email` claim: an address mapped from another
 * claim is never treated as verified.
 */
export function mapAttributes(
  claims: Record<string, unknown>,
  provider: Pick<IdentityProviderRow, "attributeMapping">,
  schema: readonly ProfileField[] = [],
): MappedProfile {
  const mapping = provider.attributeMapping ?? {};
  const emailClaim = mapping.email ?? "email";
  const email = normalizeEmail(claimAt(claims, emailClaim));
  // Apple sends `email_verified` as the string "true".
  const verifiedClaim = claims.email_verified === true || claims.email_verified === "true";
  const rawName = claimAt(claims, mapping.name ?? "name") ?? joinNames(claims.given_name, claims.family_name);
  const name = typeof rawName === "string" ? normalizeName(rawName.slice(0, 100)) : null;
  const locale = claimAt(claims, mapping.locale ?? "locale");
  return {
    email,
    emailVerified: email !== null && emailClaim === "email" && verifiedClaim,
    name: name ?? null,
    locale: typeof locale === "string" ? (locale.toLowerCase().startsWith("de") ? "de" : locale.toLowerCase().startsWith("en") ? "en" : null) : null,
    fields: mapProfileFields(claims, mapping, schema),
  };
}

function joinNames(given: unknown, family: unknown): string | undefined {
  const parts = [given, family].filter((part): part is string => typeof part === "string" && part.trim() !== "");
  return parts.length > 0 ? parts.join(" ") : undefined;
}

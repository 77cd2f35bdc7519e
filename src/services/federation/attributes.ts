import { normalizeEmail } from "../../lib/email";
import type { IdentityProviderRow } from "../../storage/federation-schema";
import { normalizeName } from "../validation";

/** The profile attributes an upstream identity fills, after the provider's `attribute_mapping`. */
export interface MappedProfile {
  /** Canonical address, or null when the provider gave none (or an invalid one). */
  email: string | null;
  /** True only when the provider said so for the very claim the address came from. */
  emailVerified: boolean;
  name: string | null;
  locale: "en" | "de" | null;
}

/**
 * Maps upstream claims to profile attributes (`attribute_mapping`: attribute → claim name; defaults are
 * the standard OIDC claims). `email_verified` speaks only about the standard `email` claim: an address
 * mapped from another claim is never treated as verified.
 */
export function mapAttributes(claims: Record<string, unknown>, provider: Pick<IdentityProviderRow, "attributeMapping">): MappedProfile {
  const mapping = provider.attributeMapping ?? {};
  const emailClaim = mapping.email ?? "email";
  const email = normalizeEmail(claims[emailClaim]);
  // Apple sends `email_verified` as the string "true".
  const verifiedClaim = claims.email_verified === true || claims.email_verified === "true";
  const rawName = claims[mapping.name ?? "name"] ?? joinNames(claims.given_name, claims.family_name);
  const name = typeof rawName === "string" ? normalizeName(rawName.slice(0, 100)) : null;
  const locale = claims[mapping.locale ?? "locale"];
  return {
    email,
    emailVerified: email !== null && emailClaim === "email" && verifiedClaim,
    name: name ?? null,
    locale: typeof locale === "string" ? (locale.toLowerCase().startsWith("de") ? "de" : locale.toLowerCase().startsWith("en") ? "en" : null) : null,
  };
}

function joinNames(given: unknown, family: unknown): string | undefined {
  const parts = [given, family].filter((part): part is string => typeof part === "string" && part.trim() !== "");
  return parts.length > 0 ? parts.join(" ") : undefined;
}

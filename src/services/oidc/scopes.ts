import type { UserRow } from "../../storage/schema";

/** Scopes defined by OIDC Core §5.4 (and `offline_access`, §11). */
export const OIDC_SCOPES = ["openid", "profile", "email", "phone", "address", "offline_access"] as const;

/** Claims each scope releases (OIDC Core §5.4), for userinfo and the consent page. */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
  ],
  email: ["email", "email_verified"],
  phone: ["phone_number", "phone_number_verified"],
  address: ["address"],
};

export const SUPPORTED_CLAIMS = [
  "sub",
  "iss",
  "aud",
  "exp",
  "iat",
  "auth_time",
  "nonce",
  "acr",
  "amr",
  "azp",
  "sid",
  "at_hash",
  "gatehouse_risk",
  ...new Set(Object.values(SCOPE_CLAIMS).flat()),
];

/** Parses a `scope` parameter: space-separated, no duplicates, printable tokens (RFC 6749 §3.3); null if malformed. */
export function parseScope(value: string | undefined): string[] | null {
  if (value === undefined || value === "") return [];
  if (!/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(value)) return null;
  return [...new Set(value.split(" "))];
}

/** The user's claims released by `scopes` (only those we hold; absent values are left out). */
export function userClaims(user: UserRow, scopes: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes("profile")) {
    if (user.name) claims.name = user.name;
    if (user.locale) claims.locale = user.locale;
    claims.updated_at = Math.floor(user.updatedAt / 1000);
  }
  if (scopes.includes("email")) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  // Only a number proven by an SMS code is the account's; an unproven one is nobody's claim yet.
  if (scopes.includes("phone") && user.phone && user.phoneVerified) {
    claims.phone_number = user.phone;
    claims.phone_number_verified = true;
  }
  return claims;
}

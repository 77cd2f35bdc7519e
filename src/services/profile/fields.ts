/**
 * The operator's profile schema as the services see it: which fields a customer may be asked for, how
 * each is checked, when it is asked, and which claim carries it. The admin route checks the wire form
 * (routes/admin/profile-schema.ts, with the rules of schema-rules.ts) before anything here sees it.
 */

export const FIELD_TYPES = ["text", "email", "phone", "date", "select", "boolean", "address"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A text in each language we render; English is required, other languages fall back to it. */
export type LocalizedText = { en: string } & Partial<Record<string, string>>;

export type AskRule = { when: "signup" } | { when: "after_logins"; n: number } | { when: "scope"; scopes: string[] };

export interface SelectOption {
  value: string;
  label: LocalizedText;
}

export interface ProfileField {
  key: string;
  type: FieldType;
  label: LocalizedText;
  help?: LocalizedText;
  required: boolean;
  ask: AskRule;
  /** text only: at most this many characters (default and ceiling: MAX_TEXT_LENGTH). */
  max_length?: number;
  /** text only: the whole value must match (JavaScript syntax, `u` flag, anchored by us). */
  pattern?: string;
  /** date only: inclusive bounds, `YYYY-MM-DD`. */
  min_date?: string;
  max_date?: string;
  /** select only. */
  options?: SelectOption[];
}

export interface ProfileSchema {
  fields: ProfileField[];
  updatedAt: number | null;
}

export const EMPTY_SCHEMA: ProfileSchema = { fields: [], updatedAt: null };

/** Ceiling for any text value (and each line of an address). */
export const MAX_TEXT_LENGTH = 500;
export const MAX_FIELDS = 50;
/** The interstitial never asks for more than this at once. */
export const MAX_FIELDS_PER_PROMPT = 3;
/** After "Not now", optional fields rest for this many logins. */
export const SNOOZE_LOGINS = 3;

export const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Sub-fields of an `address` value: the OIDC Core §5.1.1 address claim. */
export const ADDRESS_PARTS = ["street_address", "locality", "region", "postal_code", "country"] as const;
export type AddressValue = Partial<Record<(typeof ADDRESS_PARTS)[number] | "formatted", string>>;

/**
 * Standard claims (OIDC Core §5.1) a field may stand for, with the scope that releases them and the field
 * types that fit the claim's format. A field with one of these keys is released under that claim name.
 */
export const STANDARD_CLAIM_FIELDS: Record<string, { scope: string; types: readonly FieldType[] }> = {
  given_name: { scope: "profile", types: ["text"] },
  family_name: { scope: "profile", types: ["text"] },
  middle_name: { scope: "profile", types: ["text"] },
  nickname: { scope: "profile", types: ["text"] },
  preferred_username: { scope: "profile", types: ["text"] },
  gender: { scope: "profile", types: ["text", "select"] },
  birthdate: { scope: "profile", types: ["date"] },
  zoneinfo: { scope: "profile", types: ["text", "select"] },
  locale: { scope: "profile", types: ["text", "select"] },
  website: { scope: "profile", types: ["text"] },
  phone_number: { scope: "phone", types: ["phone"] },
  address: { scope: "address", types: ["address"] },
};

/**
 * Keys no field may take: claims Gatehouse itself vouches for (identity, verification, token mechanics)
 * and names that look like authority. A schema cannot turn them into something a customer types.
 */
export const RESERVED_KEYS = new Set([
  "sub",
  "iss",
  "aud",
  "exp",
  "iat",
  "nbf",
  "jti",
  "azp",
  "sid",
  "nonce",
  "acr",
  "amr",
  "auth_time",
  "at_hash",
  "c_hash",
  "scope",
  "client_id",
  "email",
  "email_verified",
  "phone_number_verified",
  "name",
  "picture",
  "profile",
  "updated_at",
  "role",
  "roles",
  "groups",
  "permissions",
  "admin",
  "is_admin",
  "status",
  "password",
  // Names of our own form fields, so a profile form stays unambiguous.
  "csrf_token",
  "return_to",
]);

/** Custom fields are released as `<issuer>/claims/<key>`: a collision-resistant name (OIDC Core §5.1.2). */
export function claimName(field: Pick<ProfileField, "key">, issuerUrl: string): string {
  return field.key in STANDARD_CLAIM_FIELDS ? field.key : `${issuerUrl}/claims/${field.key}`;
}

/** Scopes that release a field's claim: its standard scope, else `profile`; plus the scopes that ask for it. */
export function releasingScopes(field: Pick<ProfileField, "key" | "ask">): string[] {
  const base = STANDARD_CLAIM_FIELDS[field.key]?.scope ?? "profile";
  return [...new Set([base, ...(field.ask.when === "scope" ? field.ask.scopes : [])])];
}

/** The label or help in `locale`, else English. */
export function localized(text: LocalizedText, locale: string): string {
  return text[locale] ?? text.en;
}

import { type ProfileField, RESERVED_KEYS } from "../profile/fields";
import { CLAIM_PATH, CLAIM_PATH_MAX_LENGTH } from "./claim-paths";

/**
 * Attributes of the account itself that `attribute_mapping` fills, whatever the profile schema says:
 * the name, the login address (`email`: never verified unless it came from the `email` claim) and the
 * account's language (`locale`). Every other target is a field of the operator's profile schema.
 */
export const ACCOUNT_ATTRIBUTES = ["name", "email", "locale"] as const;
export type AccountAttribute = (typeof ACCOUNT_ATTRIBUTES)[number];

export function isAccountAttribute(target: string): target is AccountAttribute {
  return (ACCOUNT_ATTRIBUTES as readonly string[]).includes(target);
}

/** Profile-schema fields a mapping fills (the schema's `locale` field too, alongside the account's language). */
export function profileTargets(mapping: Record<string, string> | null): string[] {
  return Object.keys(mapping ?? {}).filter((target) => target !== "name" && target !== "email");
}

export interface MappingTargetError {
  /** `attribute_mapping.<target>`. */
  field: string;
  code: "not_mappable" | "unknown_field" | "invalid_claim_path";
  detail: string;
}

/**
 * What an operator may map into: the account attributes and the fields of the current profile schema.
 * Claims Gatehouse vouches for itself (`email_verified`, `phone_number_verified`, `sub`, …) and names that
 * look like authority (`role`, `groups`, …) are never targets: no upstream decides them. A target later
 * removed from the schema is simply not filled any more.
 */
export function mappingTargetErrors(mapping: Record<string, string>, fields: readonly Pick<ProfileField, "key">[]): MappingTargetError[] {
  const keys = new Set(fields.map((field) => field.key));
  const errors: MappingTargetError[] = [];
  for (const [target, path] of Object.entries(mapping)) {
    const field = `attribute_mapping.${target}`;
    if (!isAccountAttribute(target) && RESERVED_KEYS.has(target))
      errors.push({ field, code: "not_mappable", detail: "is not a profile attribute: Gatehouse itself decides it" });
    else if (!isAccountAttribute(target) && !keys.has(target))
      errors.push({ field, code: "unknown_field", detail: "is neither name, email, locale nor a field of the profile schema" });
    if (path.length > CLAIM_PATH_MAX_LENGTH || !CLAIM_PATH.test(path))
      errors.push({ field, code: "invalid_claim_path", detail: "must be a claim name or a dotted path into nested claims (address.locality)" });
  }
  return errors;
}

/**
 * Where an attribute's value sits in the upstream claims: a claim name (`given_name`, a namespaced
 * `https://acme.example/department`) or a dotted path into nested claims (`address.locality`,
 * `custom.employee.id`, `emails.0`). One segment is letters, digits, `_ : / -`; segments are joined by dots.
 */
export const CLAIM_PATH = /^[A-Za-z0-9_:/-]{1,100}(?:\.[A-Za-z0-9_:/-]{1,100}){0,7}$/;
export const CLAIM_PATH_MAX_LENGTH = 200;

/**
 * The value at `path` in `claims`, or undefined. A claim whose whole name is `path` wins over a nested
 * one (namespaced claim names contain dots). Only own properties are followed, so a path such as
 * `__proto__.x` or `constructor.name` reaches nothing but what the provider actually sent.
 */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const segment of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    if (Array.isArray(current)) {
      if (!/^\d{1,3}$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/**
 * Authentication methods and what they prove, in the words of OIDC: `amr` values (RFC 8176) and our
 * `acr` levels. Apps ask for a level with `acr_values`; the ID token says what was done.
 */
/** `federated`: an upstream identity provider (social login, enterprise OIDC) vouched for the user. */
export type FactorKind = "password" | "passkey" | "totp" | "recovery_code" | "email" | "sms" | "push" | "federated";

export const FACTOR_KINDS: readonly FactorKind[] = ["password", "passkey", "totp", "recovery_code", "email", "sms", "push", "federated"];

/** One factor: something the user knows or has. */
export const ACR_SINGLE = "urn:gatehouse:loa:1";
/** Two factors of different kinds (or a user-verified passkey). */
export const ACR_MFA = "urn:gatehouse:loa:2";
/** A passkey: bound to our origin, so a phishing site cannot relay it. */
export const ACR_PHISHING_RESISTANT = "urn:gatehouse:loa:3";

export const SUPPORTED_ACRS = [ACR_SINGLE, ACR_MFA, ACR_PHISHING_RESISTANT] as const;

/** RFC 8176 values for one factor. A passkey with user verification is already two factors (device + PIN/biometric). */
export function amrFor(kind: FactorKind, detail: { deviceType?: "singleDevice" | "multiDevice" } = {}): string[] {
  switch (kind) {
    case "password":
      return ["pwd"];
    case "passkey":
      return [detail.deviceType === "singleDevice" ? "hwk" : "swk", "user", "mfa"];
    case "sms":
      return ["sms"];
    case "push":
      return ["mca"];
    case "federated":
      // RFC 8176 has no value for "another identity provider authenticated the user"; `fed` follows its
      // spirit (registered values are short method names) and is documented in docs/federation.md.
      return ["fed"];
    default:
      return ["otp"];
  }
}

/** The union of two logins' methods; two factors of different kinds add `mfa`. */
export function mergeAmr(first: readonly string[], second: readonly string[], distinctFactors: boolean): string[] {
  const merged = new Set([...first, ...second]);
  if (distinctFactors) merged.add("mfa");
  return [...merged];
}

/** The level reached by a set of methods. */
export function acrFor(amr: readonly string[]): string {
  if (amr.includes("hwk") || amr.includes("swk")) return ACR_PHISHING_RESISTANT;
  return amr.includes("mfa") ? ACR_MFA : ACR_SINGLE;
}

const LEVEL: Record<string, number> = { [ACR_SINGLE]: 1, [ACR_MFA]: 2, [ACR_PHISHING_RESISTANT]: 3 };

/** Whether `achieved` satisfies `required` (levels are ordered; unknown values are never satisfied). */
export function acrSatisfies(achieved: string, required: string): boolean {
  const want = LEVEL[required];
  return want !== undefined && (LEVEL[achieved] ?? 0) >= want;
}

/**
 * The level an app asked for with `acr_values` (space-separated, in order of preference, RFC/OIDC §3.1.2.1):
 * the lowest supported one it lists, so we never ask more than needed; null when it named none we know.
 */
export function requestedAcr(acrValues: readonly string[]): string | null {
  const known = acrValues.filter((value) => value in LEVEL);
  if (known.length === 0) return null;
  return known.reduce((lowest, value) => ((LEVEL[value] ?? 0) < (LEVEL[lowest] ?? 0) ? value : lowest));
}

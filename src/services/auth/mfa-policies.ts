/**
 * When a second factor is asked for: `off` never (unless an app asks with `acr_values`), `optional` when
 * the user set one up, `required` always, `adaptive` when the login looks unusual (until the risk engine
 * decides: a device this account never logged in from).
 */
export const MFA_POLICIES = ["off", "optional", "required", "adaptive"] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

/** The global default when the operator never set one. */
export const DEFAULT_MFA_POLICY: MfaPolicy = "optional";

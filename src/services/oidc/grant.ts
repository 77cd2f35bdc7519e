import type { RiskDecision } from "../risk/engine";

/** The optional `gatehouse_risk` ID token claim: the score, decision and reason codes of the login. */
export interface RiskClaim {
  score: number;
  decision: RiskDecision;
  reasons: string[];
}

/** What the user granted in one authorization, carried from the code to every token of its family. */
export interface GrantDetails {
  scope: string[];
  /** RFC 8707 audience of the access tokens; null means this issuer (userinfo). */
  resource: string | null;
  /** Seconds since the epoch of the login that stands behind the grant. */
  authTime: number;
  acr: string;
  amr: string[];
  /** The browser session (OIDC `sid`), null for client credentials. */
  sid: string | null;
  nonce: string | null;
  codeChallenge?: string;
  /**
   * The risk decision of the login behind the grant, kept only for an app whose `risk_policy.risk_claim`
   * is on: its ID tokens carry it as `gatehouse_risk`.
   */
  risk?: RiskClaim;
  /** The client's `max_age`/`prompt` do not travel further; the claims requested by name do (later). */
}

/** Parses the JSON stored with a code or refresh token back into a grant (it was written by us). */
export function readGrant(value: Record<string, unknown>): GrantDetails {
  return value as unknown as GrantDetails;
}

import { randomToken } from "../../lib/random";
import { decryptSecret, encryptSecret } from "../oidc/key-encryption";
import type { RiskSummary } from "../risk/engine";
import type { FactorKind } from "./methods";

export const PENDING_LOGIN_COOKIE = "__Host-gh_mfa";
/** A second factor must follow the first within ten minutes. */
export const PENDING_LOGIN_LIFETIME_MS = 10 * 60 * 1000;

const PURPOSE = "pending-login";

/**
 * A login that passed its first factor and waits for a second. It travels in the `__Host-gh_mfa`
 * cookie, AES-GCM encrypted, so the browser can neither read nor change it (e.g. add factors to `amr`);
 * the user's `UserGuard` makes its completion single use.
 */
export interface PendingLogin {
  id: string;
  userId: string;
  /** Factors already proven (the first factor; for a step-up, those of the session). */
  factors: FactorKind[];
  amr: string[];
  firstFactorAt: number;
  expiresAt: number;
  /** Same-site path to continue at once the login is complete. */
  returnTo: string;
  /** The level an app asked for (`acr_values`), when the second factor must reach it (e.g. a passkey). */
  requiredAcr: string | null;
  /** The session being stepped up, ended when the stronger one starts. */
  stepUpSessionId: string | null;
  /** The risk decision of this login (for a step-up, that of the login that started the session). */
  risk?: RiskSummary | null;
}

export function newPendingLogin(
  input: Omit<PendingLogin, "id" | "expiresAt" | "firstFactorAt" | "stepUpSessionId"> & { stepUpSessionId?: string | null },
  now: number,
): PendingLogin {
  return {
    ...input,
    id: randomToken(16),
    firstFactorAt: now,
    expiresAt: now + PENDING_LOGIN_LIFETIME_MS,
    stepUpSessionId: input.stepUpSessionId ?? null,
  };
}

export function sealPendingLogin(secret: string, pending: PendingLogin): Promise<string> {
  return encryptSecret(secret, PURPOSE, JSON.stringify(pending));
}

/** The pending login in a cookie value, or null when it is missing, altered or expired. */
export async function openPendingLogin(secret: string, sealed: string | undefined | null, now: number): Promise<PendingLogin | null> {
  if (!sealed || sealed.length > 4096) return null;
  try {
    const pending = JSON.parse(await decryptSecret(secret, PURPOSE, sealed)) as PendingLogin;
    return typeof pending.expiresAt === "number" && pending.expiresAt > now ? pending : null;
  } catch {
    return null;
  }
}

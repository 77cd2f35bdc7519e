import type { WebauthnChallengeRow } from "../../storage/mfa-schema";
import { type ChallengePurpose, webauthnChallengesStore } from "../../storage/webauthn-challenges-store";
import type { Deps } from "../deps";
import { CEREMONY_LIFETIME_MS } from "./relying-party";

type CeremonyDeps = Pick<Deps, "db" | "clock">;

/** Remembers the challenge of a ceremony the server just offered, for five minutes. */
export async function rememberCeremony(
  deps: CeremonyDeps,
  challenge: string,
  purpose: ChallengePurpose,
  binding: { userId?: string | null; context?: Record<string, unknown> | null } = {},
): Promise<void> {
  const now = deps.clock();
  await webauthnChallengesStore(deps.db).insert({
    challenge,
    purpose,
    userId: binding.userId ?? null,
    context: binding.context ?? null,
    createdAt: now,
    expiresAt: now + CEREMONY_LIFETIME_MS,
  });
}

/**
 * Uses up the ceremony whose challenge the browser signed, before anything is verified (a failed attempt
 * burns it too, so a response can never be tried twice). Null when it is unknown, expired, already used,
 * or was offered for another purpose.
 */
export async function takeCeremony(deps: CeremonyDeps, challenge: string | null, purpose: ChallengePurpose): Promise<WebauthnChallengeRow | null> {
  if (!challenge) return null;
  const row = await webauthnChallengesStore(deps.db).take(challenge, deps.clock());
  return row && row.purpose === purpose ? row : null;
}

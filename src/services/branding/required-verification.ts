import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { findClient } from "../oidc/clients";
import { openInteraction } from "../oidc/interaction";

export interface VerificationNeeded {
  clientName: string;
  email: string;
  missing: ("email" | "phone")[];
}

/**
 * What the signed-in user still has to verify for the app of a paused authorization request
 * (`require_verified`). Null when the interaction is dead or its app is gone; `missing` empty when done.
 */
export async function verificationNeeded(deps: Pick<Deps, "db" | "clock" | "config">, sealed: string, userId: string): Promise<VerificationNeeded | null> {
  const interaction = await openInteraction(deps.config.keyEncryptionKey, sealed, deps.clock()).catch(() => null);
  const clientId = interaction?.params.client_id;
  if (!clientId) return null;
  const [client, user] = await Promise.all([findClient(deps, clientId), usersStore(deps.db).findById(userId)]);
  if (!client || !user) return null;
  const missing = client.requireVerified.filter((claim) => (claim === "email" ? !user.emailVerified : !user.phoneVerified));
  return { clientName: client.clientName, email: user.email, missing };
}

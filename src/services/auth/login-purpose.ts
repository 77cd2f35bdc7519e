import type { Deps } from "../deps";
import { findClient } from "../oidc/clients";
import { openInteraction } from "../oidc/interaction";
import { requestedAcr } from "./methods";
import type { LoginPurpose } from "./mfa-policy";

const NONE: LoginPurpose = { clientId: null, clientPolicy: null, clientRisk: null, requiredAcr: null };

/**
 * The app a login serves, read from where it returns to: a paused authorization request
 * (`/authorize?interaction=…`, sealed by us, so its client and `acr_values` can be trusted).
 */
export async function loginPurposeOf(deps: Pick<Deps, "db" | "clock" | "config">, returnTo: string): Promise<LoginPurpose> {
  if (!returnTo.startsWith("/authorize?")) return NONE;
  const sealed = new URLSearchParams(returnTo.slice("/authorize?".length)).get("interaction");
  const interaction = sealed ? await openInteraction(deps.config.keyEncryptionKey, sealed, deps.clock()) : null;
  const clientId = interaction?.params.client_id;
  if (!interaction || !clientId) return NONE;
  const client = await findClient(deps, clientId);
  return {
    clientId,
    clientPolicy: client?.mfaPolicy ?? null,
    clientRisk: client?.riskPolicy ?? null,
    requiredAcr: requestedAcr((interaction.params.acr_values ?? "").split(" ").filter(Boolean)),
  };
}

import type { Deps } from "../deps";
import { findClient } from "../oidc/clients";
import { openInteraction } from "../oidc/interaction";

/**
 * The app a hosted page serves, for its branding: the client of a paused authorization request (sealed by
 * us, so it cannot be forged) named by the page's `return_to` or `interaction`, or the `client_id` of an
 * authorization request itself when it names a registered client. Null: the deployment's own branding.
 */
export async function clientOfPage(
  deps: Pick<Deps, "db" | "clock" | "config">,
  input: { returnTo?: string | null; interaction?: string | null; clientId?: string | null },
): Promise<string | null> {
  let sealed = input.interaction ?? null;
  let returnTo = input.returnTo ?? null;
  // A journey step that continues at the authorization afterwards (`/verify/phone?return_to=…`): one level only.
  if (returnTo?.startsWith("/verify/phone?")) returnTo = new URLSearchParams(returnTo.slice("/verify/phone?".length)).get("return_to");
  if (!sealed && returnTo?.startsWith("/authorize?")) {
    sealed = new URLSearchParams(returnTo.slice("/authorize?".length)).get("interaction");
  }
  if (sealed) {
    const interaction = await openInteraction(deps.config.keyEncryptionKey, sealed, deps.clock()).catch(() => null);
    const clientId = interaction?.params.client_id;
    if (clientId) return clientId;
  }
  const candidate = input.clientId;
  if (candidate && candidate.length <= 255 && (await findClient(deps, candidate))) return candidate;
  return null;
}

import { identityProvidersStore } from "../../storage/identity-providers-store";
import type { Deps } from "../deps";

/** The enabled providers' buttons for the login and sign-up pages (no secrets leave the store here). */
export async function providerButtons(deps: Pick<Deps, "db">): Promise<{ id: string; displayName: string }[]> {
  return (await identityProvidersStore(deps.db).listEnabled()).map((row) => ({ id: row.id, displayName: row.displayName }));
}

import { clientOfPage } from "./branding/page-client";
import type { Deps } from "./deps";

/**
 * The journey an emailed link belongs to, remembered server-side with the link's row (never read back from
 * the link's URL): where the customer continues once the link did its job, and the app that journey serves.
 * The app is resolved when the link is issued, while the sealed interaction in the path is still fresh: an
 * interaction lives 30 minutes, a verification link an hour, and the link's pages keep the app's branding
 * for the link's whole life.
 */
export interface LinkJourney {
  /** A same-site path (the route checked it with `safeReturnPath`), e.g. `/authorize?interaction=…`; null: none. */
  returnTo: string | null;
  /** The app whose branding the link's pages and emails wear; null: the deployment's own branding. */
  clientId: string | null;
}

/** Longer return paths are not remembered (a sealed interaction is far shorter); the link then works without a journey. */
export const MAX_JOURNEY_PATH_LENGTH = 4096;

export const NO_JOURNEY: LinkJourney = { returnTo: null, clientId: null };

/** The journey to remember for a link issued now, on the way to `returnTo` (already validated by the route). */
export async function journeyFor(deps: Pick<Deps, "db" | "clock" | "config">, returnTo: string | null | undefined): Promise<LinkJourney> {
  if (!returnTo || returnTo.length > MAX_JOURNEY_PATH_LENGTH) return NO_JOURNEY;
  return { returnTo, clientId: await clientOfPage(deps, { returnTo }) };
}

/** The journey stored on a link's row. */
export function journeyOf(row: { returnTo: string | null; clientId: string | null }): LinkJourney {
  return { returnTo: row.returnTo, clientId: row.clientId };
}

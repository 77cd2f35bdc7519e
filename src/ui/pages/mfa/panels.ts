import type { Child } from "hono/jsx";
import type { FactorKind } from "../../../services/auth/methods";
import type { PageContext } from "../../layout";

/** What the second-step page hands each factor's panel. */
export interface MfaPanelProps {
  page: PageContext;
  pending: { id: string };
  error?: string | null;
}

/** Each factor's panel on `/login/mfa`: a form (or ceremony script) that posts to the factor's own route. */
export const MFA_PANELS: Partial<Record<FactorKind, (props: MfaPanelProps) => Child>> = {};

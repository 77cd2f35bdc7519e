import type { Child } from "hono/jsx";
import type { FactorKind } from "../../../services/auth/methods";
import type { PageContext } from "../../layout";
import { EmailPanel } from "./email-panel";
import { PasskeyPanel } from "./passkey-panel";
import { PushPanel } from "./push-panel";
import { RecoveryPanel } from "./recovery-panel";
import { SmsPanel } from "./sms-panel";
import { TotpPanel } from "./totp-panel";

/** What the second-step page hands each factor's panel. */
export interface MfaPanelProps {
  page: PageContext;
  pending: { id: string };
  error?: string | null;
}

/** Each factor's panel on `/login/mfa`: a form (or ceremony script) that posts to the factor's own route. */
export const MFA_PANELS: Partial<Record<FactorKind, (props: MfaPanelProps) => Child>> = {
  passkey: PasskeyPanel,
  totp: TotpPanel,
  push: PushPanel,
  email: EmailPanel,
  recovery_code: RecoveryPanel,
  sms: SmsPanel,
};

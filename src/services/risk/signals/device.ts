import type { RiskProfile } from "../../../durable/risk-profile";
import { type RiskReason, reason } from "../vocabulary";
import { describeFamily, userAgentFamily } from "./user-agent";

export interface DeviceSignals {
  id: string | null;
  known: boolean;
  family: string;
  /** The device cookie is known but the browser or system changed: a copied cookie, most likely. */
  familyChanged: boolean;
}

/** A new device counts only once the account has a history (its very first login has nothing to compare with). */
export function deviceSignals(profile: RiskProfile, deviceId: string | null, userAgent: string | null): { signals: DeviceSignals; reasons: RiskReason[] } {
  const family = describeFamily(userAgentFamily(userAgent));
  const seen = deviceId ? profile.devices[deviceId] : undefined;
  const familyChanged = Boolean(seen?.family && seen.family !== family);
  const reasons: RiskReason[] = [];
  if (!seen && profile.logins > 0) reasons.push(reason("new_device"));
  if (familyChanged) reasons.push(reason("device_mismatch"));
  return { signals: { id: deviceId, known: Boolean(seen), family, familyChanged }, reasons };
}

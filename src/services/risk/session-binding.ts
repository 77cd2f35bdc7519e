/** Where and on what a session was started: kept in its edge copy, checked on every use. */
export interface SessionBinding {
  deviceId: string | null;
  country: string | null;
  /** "Firefox on Windows" */
  family: string | null;
}

export type StolenSessionReason = "device_mismatch" | "context_changed";

/**
 * Whether a session cookie arrives somewhere it cannot legitimately be. The session and device cookies are
 * set together at login; a session cookie presented without its device cookie (or with another device's)
 * was copied out of the browser. Both copied and replayed from another country and another browser family
 * is the other tell-tale. Travel alone, or a browser update alone, never ends a session.
 */
export function stolenSessionReason(binding: SessionBinding, current: SessionBinding): StolenSessionReason | null {
  if (!binding.deviceId) return null;
  if (current.deviceId !== binding.deviceId) return "device_mismatch";
  const movedCountry = Boolean(binding.country && current.country && binding.country !== current.country);
  const changedBrowser = Boolean(binding.family && current.family && binding.family !== current.family);
  return movedCountry && changedBrowser ? "context_changed" : null;
}

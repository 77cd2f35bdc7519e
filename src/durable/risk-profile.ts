/**
 * What an account's `UserGuard` remembers for the risk engine: where, when and from which devices the
 * account logged in, and a few recent events. Small and bounded (at most a few kilobytes): every map keeps
 * only its most recent entries, and the hour histogram decays.
 */
export interface RiskProfile {
  /** Successful logins counted so far. */
  logins: number;
  last: LastLogin | null;
  /** Country code → when last seen. */
  countries: Record<string, number>;
  /** ASN → when last seen. */
  networks: Record<string, number>;
  /** Logins per local hour of day (0–23); halved when it grows large, so old habits fade. */
  hours: number[];
  /** Device id (`__Host-gh_device`) → when last seen and from which browser family. */
  devices: Record<string, SeenDevice>;
  /** When security-relevant events last happened to the account. */
  marks: Partial<Record<RiskMark, number>>;
}

export interface LastLogin {
  at: number;
  country: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  asn: number | null;
}

export interface SeenDevice {
  lastAt: number;
  /** "Chrome on macOS" */
  family: string | null;
}

export type RiskMark = "password_reset" | "factor_added" | "push_denied" | "passkey_counter_regression";

/** What one successful login adds to the profile. */
export interface LoginObservation {
  at: number;
  deviceId: string | null;
  family: string | null;
  country: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  asn: number | null;
  /** Local hour of day (0–23) where the customer is, or null when unknown. */
  localHour: number | null;
}

export const MAX_DEVICES = 20;
const MAX_PLACES = 30;
const HOURS_DECAY_AT = 400;

export function emptyRiskProfile(): RiskProfile {
  return { logins: 0, last: null, countries: {}, networks: {}, hours: Array.from({ length: 24 }, () => 0), devices: {}, marks: {} };
}

/** The `max` entries with the latest times. */
export function keepNewest<T>(entries: Record<string, T>, max: number, at: (value: T) => number): Record<string, T> {
  const all = Object.entries(entries);
  if (all.length <= max) return entries;
  return Object.fromEntries(all.sort((a, b) => at(b[1]) - at(a[1])).slice(0, max));
}

/** The profile after a successful login. */
export function afterLogin(profile: RiskProfile, seen: LoginObservation): RiskProfile {
  const hours = [...profile.hours];
  if (seen.localHour !== null) {
    hours[seen.localHour] = (hours[seen.localHour] ?? 0) + 1;
    if (hours.reduce((sum, count) => sum + count, 0) > HOURS_DECAY_AT) for (let h = 0; h < 24; h++) hours[h] = Math.floor((hours[h] ?? 0) / 2);
  }
  const countries = seen.country ? { ...profile.countries, [seen.country]: seen.at } : profile.countries;
  const networks = seen.asn !== null ? { ...profile.networks, [String(seen.asn)]: seen.at } : profile.networks;
  const devices = seen.deviceId ? { ...profile.devices, [seen.deviceId]: { lastAt: seen.at, family: seen.family } } : profile.devices;
  return {
    logins: profile.logins + 1,
    last: { at: seen.at, country: seen.country, city: seen.city, latitude: seen.latitude, longitude: seen.longitude, asn: seen.asn },
    countries: keepNewest(countries, MAX_PLACES, (at) => at),
    networks: keepNewest(networks, MAX_PLACES, (at) => at),
    hours,
    devices: keepNewest(devices, MAX_DEVICES, (device) => device.lastAt),
    marks: profile.marks,
  };
}

export function withMark(profile: RiskProfile, mark: RiskMark, at: number): RiskProfile {
  return { ...profile, marks: { ...profile.marks, [mark]: at } };
}

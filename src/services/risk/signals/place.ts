import type { RiskProfile } from "../../../durable/risk-profile";
import type { EdgeFacts } from "../../../lib/edge-facts";
import { type RiskReason, reason } from "../vocabulary";
import { distanceKm } from "./geo";

/** Faster than an airliner over a distance IP geolocation can be trusted for. */
export const IMPOSSIBLE_SPEED_KMH = 1000;
const MIN_TRAVEL_KM = 500;

export interface PlaceSignals {
  country: string | null;
  city: string | null;
  asn: number | null;
  asOrganization: string | null;
  newCountry: boolean;
  newNetwork: boolean;
  /** Since the last successful login, when both places are known. */
  travel: { km: number; hours: number; kmh: number } | null;
  impossibleTravel: boolean;
}

/**
 * `anonymizer` tells whether an ASN is a VPN or anonymising network: an exit's location says nothing about
 * where the person is, so travel to or from one is never "impossible" (a customer switching a VPN on or off
 * would be refused otherwise); the network signal itself still counts.
 */
export function placeSignals(
  profile: RiskProfile,
  edge: EdgeFacts,
  now: number,
  anonymizer: (asn: number | null) => boolean = () => false,
): { signals: PlaceSignals; reasons: RiskReason[] } {
  const reasons: RiskReason[] = [];
  const hasCountries = Object.keys(profile.countries).length > 0;
  const newCountry = Boolean(edge.country && hasCountries && !(edge.country in profile.countries));
  const hasNetworks = Object.keys(profile.networks).length > 0;
  const newNetwork = edge.asn !== null && hasNetworks && !(String(edge.asn) in profile.networks);
  let travel: PlaceSignals["travel"] = null;
  const last = profile.last;
  if (last && last.latitude !== null && last.longitude !== null && edge.latitude !== null && edge.longitude !== null) {
    const km = distanceKm({ latitude: last.latitude, longitude: last.longitude }, { latitude: edge.latitude, longitude: edge.longitude });
    // A minute at least, so two logins in the same second do not divide by zero.
    const hours = Math.max(now - last.at, 60_000) / 3_600_000;
    travel = { km: Math.round(km), hours: Math.round(hours * 100) / 100, kmh: Math.round(km / hours) };
  }
  const locatable = !anonymizer(edge.asn) && !anonymizer(last?.asn ?? null);
  const impossibleTravel = locatable && travel !== null && travel.km >= MIN_TRAVEL_KM && travel.kmh > IMPOSSIBLE_SPEED_KMH;
  if (impossibleTravel) reasons.push(reason("impossible_travel"));
  if (newCountry) reasons.push(reason("new_country"));
  if (newNetwork) reasons.push(reason("new_network"));
  return {
    signals: { country: edge.country, city: edge.city, asn: edge.asn, asOrganization: edge.asOrganization, newCountry, newNetwork, travel, impossibleTravel },
    reasons,
  };
}

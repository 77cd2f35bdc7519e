import { afterLogin, emptyRiskProfile, type LoginObservation, type RiskProfile } from "../../src/durable/risk-profile";
import { type EdgeFacts, NO_EDGE_FACTS } from "../../src/lib/edge-facts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

export const BERLIN: Partial<EdgeFacts> = { country: "DE", city: "Berlin", latitude: 52.52, longitude: 13.4, timezone: "Europe/Berlin", asn: 3320 };
export const LYON: Partial<EdgeFacts> = { country: "FR", city: "Lyon", latitude: 45.76, longitude: 4.84, timezone: "Europe/Paris", asn: 3215 };
export const SYDNEY: Partial<EdgeFacts> = { country: "AU", city: "Sydney", latitude: -33.87, longitude: 151.21, timezone: "Australia/Sydney", asn: 1221 };

export const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
export const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

export function edge(facts: Partial<EdgeFacts>): EdgeFacts {
  return { ...NO_EDGE_FACTS, ...facts };
}

/** A profile that logged in `times` times from `place` on `deviceId`, one day apart, ending at `until`. */
export function historyOf(place: Partial<EdgeFacts>, deviceId: string, times: number, until: number, family = "Firefox on Windows"): RiskProfile {
  let profile = emptyRiskProfile();
  for (let i = times - 1; i >= 0; i--) {
    const seen: LoginObservation = {
      at: until - i * DAY,
      deviceId,
      family,
      country: place.country ?? null,
      city: place.city ?? null,
      latitude: place.latitude ?? null,
      longitude: place.longitude ?? null,
      asn: place.asn ?? null,
      localHour: 10,
    };
    profile = afterLogin(profile, seen);
  }
  return profile;
}

// Bundled by bench/risk.mjs with esbuild: the risk engine exactly as the worker runs it, plus the inputs of
// four typical logins against a realistic account profile (30 past logins on three devices in two cities).
import { afterLogin, emptyRiskProfile, type RiskProfile } from "../../src/durable/risk-profile";
import { edgeFacts } from "../../src/lib/edge-facts";
import type { RiskContext } from "../../src/services/risk/context";
import { NO_VELOCITY } from "../../src/services/risk/context";
import { assessLogin } from "../../src/services/risk/engine";
import { DEFAULT_RISK_POLICY } from "../../src/services/risk/policy";
import { localHour } from "../../src/services/risk/signals/behaviour";

const BERLIN = { country: "DE", city: "Berlin", latitude: "52.52", longitude: "13.405", timezone: "Europe/Berlin", asn: 3320, tlsVersion: "TLSv1.3" };
const HAMBURG = { country: "DE", city: "Hamburg", latitude: "53.551", longitude: "9.994", timezone: "Europe/Berlin", asn: 3209, tlsVersion: "TLSv1.3" };
const LAGOS = { country: "NG", city: "Lagos", latitude: "6.524", longitude: "3.379", timezone: "Africa/Lagos", asn: 29465, tlsVersion: "TLSv1.3" };
const VPN = { country: "NL", city: "Amsterdam", latitude: "52.37", longitude: "4.895", timezone: "Europe/Amsterdam", asn: 9009, botManagement: { score: 12 } };
const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

const START = Date.UTC(2026, 2, 2, 6);
const DAY = 86_400_000;

function history(): RiskProfile {
  let profile = emptyRiskProfile();
  for (let i = 0; i < 30; i++) {
    const cf = edgeFacts(i % 3 === 2 ? HAMBURG : BERLIN);
    const at = START + i * DAY;
    profile = afterLogin(profile, {
      at,
      deviceId: ["laptop", "phone", "office"][i % 3] ?? null,
      family: i % 3 === 1 ? "Safari on iOS" : "Chrome on macOS",
      country: cf.country,
      city: cf.city,
      latitude: cf.latitude,
      longitude: cf.longitude,
      asn: cf.asn,
      localHour: localHour(cf, at),
    });
  }
  return profile;
}

/** Four logins: the usual laptop at home, a new phone, a thief abroad an hour later, a bot through a VPN with failures. */
export function contexts(): RiskContext[] {
  const profile = history();
  // An hour after the last of the 30 logins (so the login from Lagos is impossible travel).
  const now = START + 29 * DAY + 3_600_000;
  const base = { now, firstFactor: "password" as const, commonPassword: false, velocity: NO_VELOCITY, profile };
  return [
    { ...base, edge: edgeFacts(BERLIN), userAgent: CHROME, deviceId: "laptop" },
    { ...base, edge: edgeFacts(BERLIN), userAgent: IPHONE, deviceId: "new-phone" },
    { ...base, edge: edgeFacts(LAGOS), userAgent: FIREFOX, deviceId: null },
    {
      ...base,
      edge: edgeFacts(VPN),
      userAgent: "python-requests/2.32.3",
      deviceId: null,
      commonPassword: true,
      velocity: { ...NO_VELOCITY, accountFailures: 4, accountSources: 4, sourceFailures: 9, sourceAccounts: 7, globalFailuresPerMinute: 80 },
    },
  ];
}

/** Runs `iterations` decisions over the four contexts; returns a checksum so nothing is optimised away. */
export function run(iterations: number, list: RiskContext[]): number {
  let sum = 0;
  for (let i = 0; i < iterations; i++) {
    const context = list[i & 3] as RiskContext;
    sum += assessLogin(context, DEFAULT_RISK_POLICY).score;
  }
  return sum;
}

/** The decision of each context, so the benchmark shows it measured what it says. */
export function decisions(list: RiskContext[]): string[] {
  return list.map((context) => {
    const result = assessLogin(context, DEFAULT_RISK_POLICY);
    return `${result.decision} (${result.score}: ${result.reasons.map((reason) => reason.code).join(", ")})`;
  });
}

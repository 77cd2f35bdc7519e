import { describe, expect, it } from "vitest";
import { afterLogin, emptyRiskProfile, MAX_DEVICES, withMark } from "../../src/durable/risk-profile";
import { NO_VELOCITY } from "../../src/services/risk/context";
import { behaviourSignals, localHour } from "../../src/services/risk/signals/behaviour";
import { credentialSignals } from "../../src/services/risk/signals/credentials";
import { deviceSignals } from "../../src/services/risk/signals/device";
import { distanceKm } from "../../src/services/risk/signals/geo";
import { networkSignals } from "../../src/services/risk/signals/network";
import { placeSignals } from "../../src/services/risk/signals/place";
import { userAgentFamily } from "../../src/services/risk/signals/user-agent";
import { velocitySignals } from "../../src/services/risk/signals/velocity";
import { BERLIN, DAY, edge, FIREFOX_WINDOWS, HOUR, historyOf, LYON, SAFARI_IPHONE, SYDNEY, T0 } from "./support";

const codes = (reasons: { code: string }[]) => reasons.map((item) => item.code);
const NO_LISTS = { hostingAsns: [], anonymizerAsns: [] };

describe("user agent family", () => {
  it("tells browsers and systems apart, specific names first", () => {
    expect(userAgentFamily(FIREFOX_WINDOWS)).toEqual({ browser: "Firefox", os: "Windows" });
    expect(userAgentFamily(SAFARI_IPHONE)).toEqual({ browser: "Safari", os: "iOS" });
    expect(userAgentFamily("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0")).toEqual({
      browser: "Edge",
      os: "Windows",
    });
    expect(userAgentFamily("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36")).toEqual({
      browser: "Chrome",
      os: "Android",
    });
    expect(userAgentFamily("python-requests/2.32")).toEqual({ browser: "Script", os: "Other" });
    expect(userAgentFamily(null)).toEqual({ browser: "Other", os: "Other" });
  });
});

describe("device signal", () => {
  it("knows the account's devices, and says nothing on a first-ever login", () => {
    const profile = historyOf(BERLIN, "device-a", 3, T0);
    expect(codes(deviceSignals(profile, "device-a", FIREFOX_WINDOWS).reasons)).toEqual([]);
    expect(codes(deviceSignals(profile, "device-b", FIREFOX_WINDOWS).reasons)).toEqual(["new_device"]);
    expect(codes(deviceSignals(profile, null, FIREFOX_WINDOWS).reasons)).toEqual(["new_device"]);
    expect(codes(deviceSignals(emptyRiskProfile(), null, FIREFOX_WINDOWS).reasons)).toEqual([]);
  });

  it("flags a known device cookie arriving from another browser family (a copied cookie)", () => {
    const profile = historyOf(BERLIN, "device-a", 3, T0);
    const result = deviceSignals(profile, "device-a", SAFARI_IPHONE);
    expect(codes(result.reasons)).toEqual(["device_mismatch"]);
    expect(result.signals).toMatchObject({ known: true, familyChanged: true, family: "Safari on iOS" });
  });

  it("keeps at most 20 devices, forgetting the least recently seen", () => {
    let profile = emptyRiskProfile();
    for (let i = 0; i < MAX_DEVICES + 5; i++) {
      profile = afterLogin(profile, {
        at: T0 + i,
        deviceId: `d${i}`,
        family: null,
        country: null,
        city: null,
        latitude: null,
        longitude: null,
        asn: null,
        localHour: null,
      });
    }
    expect(Object.keys(profile.devices)).toHaveLength(MAX_DEVICES);
    expect(profile.devices.d0).toBeUndefined();
    expect(profile.devices[`d${MAX_DEVICES + 4}`]).toBeDefined();
  });
});

describe("place signals", () => {
  it("computes great-circle distances", () => {
    expect(distanceKm({ latitude: 52.52, longitude: 13.4 }, { latitude: 48.86, longitude: 2.35 })).toBeGreaterThan(870);
    expect(distanceKm({ latitude: 52.52, longitude: 13.4 }, { latitude: 48.86, longitude: 2.35 })).toBeLessThan(890);
  });

  it("flags impossible travel, a new country and a new network", () => {
    const profile = historyOf(BERLIN, "device-a", 3, T0);
    const result = placeSignals(profile, edge(SYDNEY), T0 + 2 * HOUR);
    expect(codes(result.reasons)).toEqual(["impossible_travel", "new_country", "new_network"]);
    expect(result.signals.travel?.kmh).toBeGreaterThan(1000);
  });

  it("lets a plausible flight pass as travel, not as impossible", () => {
    const profile = historyOf(BERLIN, "device-a", 3, T0);
    const result = placeSignals(profile, edge(LYON), T0 + 4 * HOUR);
    expect(result.signals.impossibleTravel).toBe(false);
    expect(codes(result.reasons)).toEqual(["new_country", "new_network"]);
  });

  it("never calls a jump onto or off a VPN exit impossible travel (its location says nothing about the user)", () => {
    const profile = historyOf(BERLIN, "device-a", 3, T0);
    const vpn = (asn: number | null) => asn === 9009;
    const result = placeSignals(profile, edge({ ...SYDNEY, asn: 9009 }), T0 + HOUR, vpn);
    expect(result.signals.impossibleTravel).toBe(false);
    expect(codes(result.reasons)).toEqual(["new_country", "new_network"]);
    const fromVpn = historyOf({ ...SYDNEY, asn: 9009 }, "device-a", 1, T0);
    expect(placeSignals(fromVpn, edge(BERLIN), T0 + HOUR, vpn).signals.impossibleTravel).toBe(false);
  });

  it("is neutral without coordinates or without history", () => {
    expect(placeSignals(historyOf(BERLIN, "a", 2, T0), edge({}), T0 + HOUR).reasons).toEqual([]);
    expect(placeSignals(emptyRiskProfile(), edge(SYDNEY), T0).reasons).toEqual([]);
  });
});

describe("network signals", () => {
  it("recognises hosting and anonymising networks, bundled and operator-added", () => {
    expect(codes(networkSignals(edge({ asn: 16509 }), NO_LISTS).reasons)).toEqual(["hosting_network"]);
    expect(codes(networkSignals(edge({ asn: 9009 }), NO_LISTS).reasons)).toEqual(["anonymizer_network"]);
    expect(codes(networkSignals(edge({ asn: 64500 }), { hostingAsns: [64500], anonymizerAsns: [] }).reasons)).toEqual(["hosting_network"]);
    expect(codes(networkSignals(edge({ asn: 3320 }), NO_LISTS).reasons)).toEqual([]);
  });

  it("reads the bot score (0 is unscored) and old TLS", () => {
    expect(codes(networkSignals(edge({ botScore: 2 }), NO_LISTS).reasons)).toEqual(["bot_certain"]);
    expect(codes(networkSignals(edge({ botScore: 20 }), NO_LISTS).reasons)).toEqual(["bot_likely"]);
    expect(codes(networkSignals(edge({ botScore: 0 }), NO_LISTS).reasons)).toEqual([]);
    expect(codes(networkSignals(edge({ botScore: 95, tlsVersion: "TLSv1.1" }), NO_LISTS).reasons)).toEqual(["legacy_tls"]);
  });
});

describe("velocity signals", () => {
  const surge = { failuresPerMinute: 60, signupsPerMinute: 30 };
  it("turns the guards' counts into reasons", () => {
    expect(velocitySignals(NO_VELOCITY, surge)).toEqual([]);
    expect(
      codes(
        velocitySignals({ ...NO_VELOCITY, accountFailures: 4, accountSources: 5, sourceFailures: 9, sourceAccounts: 6, globalFailuresPerMinute: 70 }, surge),
      ),
    ).toEqual(["account_failures", "account_many_sources", "source_failures", "source_many_accounts", "failure_surge"]);
  });

  it("looks at the sign-up rate, not account failures, for sign-ups", () => {
    expect(codes(velocitySignals({ ...NO_VELOCITY, accountFailures: 9, globalSignupsPerMinute: 40 }, surge, true))).toEqual(["signup_surge"]);
  });
});

describe("credential signals", () => {
  it("remembers events for a day and rewards a passkey", () => {
    const profile = withMark(withMark(historyOf(BERLIN, "a", 2, T0), "push_denied", T0), "password_reset", T0 - 2 * DAY);
    expect(codes(credentialSignals(profile, "password", true, T0 + HOUR).reasons)).toEqual(["push_denied", "common_password"]);
    expect(codes(credentialSignals(profile, "passkey", false, T0 + 2 * DAY).reasons)).toEqual(["passkey"]);
  });
});

describe("behaviour signals", () => {
  it("finds the local hour from the time zone, else the longitude", () => {
    const noonUtc = Date.UTC(2026, 10, 2, 12, 0, 0);
    expect(localHour(edge({ timezone: "Europe/Berlin" }), noonUtc)).toBe(13);
    expect(localHour(edge({ timezone: "Not/AZone", longitude: 151 }), noonUtc)).toBe(22);
    expect(localHour(edge({}), noonUtc)).toBeNull();
  });

  it("flags an hour the account never logs in at, once it has habits, and a long dormancy", () => {
    const habits = historyOf(BERLIN, "a", 12, T0);
    const threeAm = Date.UTC(2026, 10, 3, 2, 0, 0);
    expect(codes(behaviourSignals(habits, edge(BERLIN), threeAm).reasons)).toEqual(["unusual_hour"]);
    expect(codes(behaviourSignals(habits, edge(BERLIN), T0 + DAY).reasons)).toEqual([]);
    expect(codes(behaviourSignals(historyOf(BERLIN, "a", 2, T0), edge(BERLIN), threeAm).reasons)).toEqual([]);
    expect(codes(behaviourSignals(historyOf(BERLIN, "a", 2, T0), edge(BERLIN), T0 + 200 * DAY).reasons)).toContain("dormant_account");
  });
});

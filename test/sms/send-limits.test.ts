import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { parseMobileNumber } from "../../src/services/sms/phone-numbers";
import { allowSmsSend, SMS_SEND_LIMITS } from "../../src/services/sms/send-limits";
import { testDeps, testRequest } from "../helpers/deps";
import { randomMobile } from "./support";

function phone(e164 = randomMobile()) {
  const parsed = parseMobileNumber(e164);
  if (!parsed) throw new Error(`not a mobile number: ${e164}`);
  return parsed;
}

describe("SMS send limits (SMS pumping)", () => {
  it("allows 3 texts per number per 10 minutes, from any source, then answers with the wait", async () => {
    const deps = testDeps();
    const number = phone();
    for (let i = 0; i < SMS_SEND_LIMITS.perNumber.limit; i++) expect((await allowSmsSend(deps, number, testRequest())).allowed).toBe(true);
    const refused = await allowSmsSend(deps, number, testRequest());
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(600);
    // Another number is not affected.
    expect((await allowSmsSend(deps, phone(), testRequest())).allowed).toBe(true);
  });

  it("allows 10 texts per number per day", async () => {
    let now = Date.now();
    const deps = testDeps({ clock: () => now });
    const number = phone();
    let sent = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) if ((await allowSmsSend(deps, number, testRequest())).allowed) sent++;
      now += 11 * 60 * 1000;
    }
    expect(sent).toBe(SMS_SEND_LIMITS.perNumberDaily.limit);
    const refused = await allowSmsSend(deps, number, testRequest());
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(600);
  });

  it("allows 10 texts per source per hour, whatever the numbers", async () => {
    const deps = testDeps();
    const request = testRequest({ ip: "192.0.2.77" });
    for (let i = 0; i < SMS_SEND_LIMITS.perSource.limit; i++) expect((await allowSmsSend(deps, phone(), request)).allowed).toBe(true);
    expect((await allowSmsSend(deps, phone(), request)).allowed).toBe(false);
    expect((await allowSmsSend(deps, phone(), testRequest())).allowed).toBe(true);
  });

  it("caps texts per country calling code across numbers and sources", async () => {
    const base = testDeps();
    const config = { ...base.config, sms: { ...base.config.sms, countryHourlyLimit: 2 } };
    const deps = testDeps({ config });
    // A country code no other test texts, so this counter is this test's alone.
    const french = () => phone(`+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`);
    expect((await allowSmsSend(deps, french(), testRequest())).allowed).toBe(true);
    expect((await allowSmsSend(deps, french(), testRequest())).allowed).toBe(true);
    expect((await allowSmsSend(deps, french(), testRequest())).allowed).toBe(false);
    // Other countries have their own counters.
    expect((await allowSmsSend(deps, phone(`+43664${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`), testRequest())).allowed).toBe(true);
  });

  it("reads the allowlist and the country limit from the environment", () => {
    const config = loadConfig({
      ENVIRONMENT: "development",
      ISSUER_URL: "http://localhost:8787",
      KEY_ENCRYPTION_KEY: "k".repeat(32),
      PASSWORD_PEPPER: "p".repeat(32),
      ADMIN_API_TOKEN: "a".repeat(32),
      SMS_ALLOWED_COUNTRIES: "49, +43,41",
      SMS_COUNTRY_HOURLY_LIMIT: "25",
    });
    expect(config.sms.allowedCallingCodes).toEqual(["49", "43", "41"]);
    expect(config.sms.countryHourlyLimit).toBe(25);
    expect(config.sms.enabled).toBe(true);
  });

  it("switches SMS off in production without a provider, and wants the whole provider configuration", () => {
    const production = {
      ISSUER_URL: "https://id.example.com",
      KEY_ENCRYPTION_KEY: "k".repeat(32),
      PASSWORD_PEPPER: "p".repeat(32),
      ADMIN_API_TOKEN: "a".repeat(32),
      EMAIL_API_URL: "https://mail.example.com/send",
    };
    expect(loadConfig({ ...production }).sms.enabled).toBe(false);
    expect(() => loadConfig({ ...production, SMS_API_URL: "https://sms.example.com/send" })).toThrow(/SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM/);
    expect(() => loadConfig({ ...production, SMS_ALLOWED_COUNTRIES: "germany" })).toThrow(/SMS_ALLOWED_COUNTRIES/);
    const enabled = loadConfig({
      ...production,
      SMS_API_URL: "https://sms.example.com/send",
      SMS_ACCOUNT_SID: "AC1",
      SMS_AUTH_TOKEN: "t",
      SMS_FROM: "+15005550006",
    });
    expect(enabled.sms).toMatchObject({ enabled: true, apiUrl: "https://sms.example.com/send", allowedCallingCodes: null });
  });
});

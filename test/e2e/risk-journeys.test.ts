import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createVerifiedAccount } from "./support/accounts";
import { HttpClient, SESSION_COOKIE } from "./support/http-client";
import { adminApi } from "./support/oidc-rp";

/**
 * Three journeys of test/risk/scenarios end to end, through the real worker (wrangler dev, development
 * environment): `x-dev-cf` stands in for `request.cf` and `x-dev-ip` for `CF-Connecting-IP`, so the logins
 * come from Berlin, Hamburg, Lagos or a bot. Under the `adaptive` MFA policy the outcome is visible in the
 * redirect: `/account` (allow), `/login/mfa` (step_up) or `/login?notice=risk_denied` (deny).
 */

const BERLIN = {
  country: "DE",
  city: "Berlin",
  latitude: "52.52",
  longitude: "13.405",
  timezone: "Europe/Berlin",
  asn: 3320,
  asOrganization: "Deutsche Telekom AG",
};
const HAMBURG_OFFICE = {
  country: "DE",
  city: "Hamburg",
  latitude: "53.551",
  longitude: "9.994",
  timezone: "Europe/Berlin",
  asn: 3209,
  asOrganization: "Vodafone GmbH",
};
const LAGOS = { country: "NG", city: "Lagos", latitude: "6.524", longitude: "3.379", timezone: "Africa/Lagos", asn: 29465, asOrganization: "MTN Nigeria" };

type Outcome = "allow" | "step_up" | "deny";

/** One password login from a place; returns what the browser was sent to. */
async function logInFrom(client: HttpClient, account: Account, cf: object, ip: string): Promise<Outcome> {
  const response = await client.post(
    "/login",
    { email: account.email, password: account.password },
    { headers: { "x-dev-cf": JSON.stringify(cf), "x-dev-ip": ip } },
  );
  await response.arrayBuffer();
  expect(response.status).toBe(303);
  const location = response.headers.get("location");
  if (location === "/account") return "allow";
  if (location === "/login/mfa") return "step_up";
  expect(location).toBe("/login?notice=risk_denied");
  return "deny";
}

/** The owner's own browser between logins: the session cookie is gone, the device cookie stays. */
function logOut(client: HttpClient): void {
  client.cookies.delete(SESSION_COOKIE);
}

describe("risk journeys end to end (x-dev-cf / x-dev-ip)", () => {
  beforeAll(async () => {
    expect((await adminApi("PUT", "/settings/mfa", { policy: "adaptive" })).status).toBe(200);
  });
  afterAll(async () => {
    await adminApi("PUT", "/settings/mfa", { policy: "optional" });
  });

  it("commuter: Berlin and Hamburg on the same laptop, never a prompt", async () => {
    const account = await createVerifiedAccount("risk-commuter");
    const laptop = new HttpClient();
    expect(await logInFrom(laptop, account, BERLIN, "84.128.1.10")).toBe("allow");
    logOut(laptop);
    expect(await logInFrom(laptop, account, HAMBURG_OFFICE, "91.64.3.20")).toBe("allow");
    logOut(laptop);
    expect(await logInFrom(laptop, account, BERLIN, "84.128.1.10")).toBe("allow");
  });

  it("session thief: the password from Lagos minutes after a Berlin login is refused, no session; the owner is unaffected", async () => {
    const account = await createVerifiedAccount("risk-thief");
    const laptop = new HttpClient();
    expect(await logInFrom(laptop, account, BERLIN, "84.128.1.11")).toBe("allow");
    const thief = new HttpClient();
    expect(await logInFrom(thief, account, LAGOS, "102.89.3.4")).toBe("deny");
    expect(thief.cookies.has(SESSION_COOKIE)).toBe(false);
    const refused = await thief.page("/account");
    expect(refused.status).toBe(303);
    logOut(laptop);
    expect(await logInFrom(laptop, account, BERLIN, "84.128.1.11")).toBe("allow");
  });

  // The bot logs in from the owner's own city: seconds after the owner's login, any place 500 km away would be impossible travel.
  it("bot: a certain bot with the right password is refused, a likely bot must pass a second factor", async () => {
    const account = await createVerifiedAccount("risk-bot");
    const laptop = new HttpClient();
    expect(await logInFrom(laptop, account, BERLIN, "84.128.1.12")).toBe("allow");
    const certain = new HttpClient();
    expect(await logInFrom(certain, account, { ...BERLIN, botManagement: { score: 3 } }, "93.104.1.2")).toBe("deny");
    const likely = new HttpClient();
    expect(await logInFrom(likely, account, { ...BERLIN, botManagement: { score: 22 } }, "93.104.1.3")).toBe("step_up");
    expect(likely.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { admin, BERLIN_CF, PlacedBrowser, riskEventsOf, SYDNEY_CF, userIdOf } from "./support";

describe("risk decisions at login", () => {
  it("records every login's decision and links it to the session it started", async () => {
    const browser = new PlacedBrowser();
    browser.cf = BERLIN_CF;
    const email = await createVerifiedAccount(browser);
    expect((await browser.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
    const [event] = await riskEventsOf(await userIdOf(email));
    expect(event).toMatchObject({ decision: "allow", score: 0 });
    expect(event?.session_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(browser.cookies.get("__Host-gh_session")?.startsWith(`${event?.session_id}.`)).toBe(true);
  });

  it("refuses a thief on a new device on the other side of the world under every MFA policy, and tells the operator why", async () => {
    const owner = new PlacedBrowser();
    owner.cf = BERLIN_CF;
    const email = await createVerifiedAccount(owner);
    await owner.post("/login", { email, password: GOOD_PASSWORD });
    const thief = new PlacedBrowser();
    thief.cf = SYDNEY_CF;
    const attempt = await thief.post("/login", { email, password: GOOD_PASSWORD });
    expect(attempt.status).toBe(303);
    expect(attempt.headers.get("location")).toBe("/login?notice=risk_denied");
    expect(thief.cookies.has("__Host-gh_session")).toBe(false);
    expect(thief.cookies.has("__Host-gh_mfa")).toBe(false);
    const page = await (await thief.get("/login?notice=risk_denied")).text();
    expect(page).toContain("looked unusual");
    const userId = await userIdOf(email);
    const denied = (await riskEventsOf(userId)).at(-1);
    expect(denied).toMatchObject({ decision: "deny", session_id: null });
    expect(denied?.codes).toEqual(expect.arrayContaining(["impossible_travel", "new_device", "new_country", "hosting_network"]));
    const audit = await env.DB.prepare("SELECT type FROM audit_events WHERE user_id = ? AND type LIKE 'risk.%'").bind(userId).all<{ type: string }>();
    expect(audit.results.map((row) => row.type)).toEqual(expect.arrayContaining(["risk.assessed", "risk.denied"]));
    // The owner, at home on the usual browser, is not affected.
    expect((await owner.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
  });

  it("under the adaptive policy asks for a second factor on a new device only, and a passkey-strength mitigation is not needed for the known one", async () => {
    expect((await admin("/admin/v1/settings/mfa", { method: "PUT", json: { policy: "adaptive" } })).status).toBe(200);
    try {
      const home = new PlacedBrowser();
      home.cf = BERLIN_CF;
      const email = await createVerifiedAccount(home);
      expect((await home.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
      const phone = new PlacedBrowser();
      phone.cf = BERLIN_CF;
      expect((await phone.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/login/mfa");
      expect((await home.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
      const decisions = (await riskEventsOf(await userIdOf(email))).map((event) => event.decision);
      expect(decisions).toEqual(["allow", "step_up", "allow"]);
    } finally {
      await admin("/admin/v1/settings/mfa", { method: "PUT", json: { policy: "optional" } });
    }
  });

  it("remembers a password reset for a day: the next login carries it as a reason", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    const userId = await userIdOf(email);
    const guard = env.USER_GUARD.get(env.USER_GUARD.idFromName(`user:${userId}`));
    await guard.markRisk("password_reset", Date.now());
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect((await riskEventsOf(userId)).at(-1)?.codes).toContain("recent_password_reset");
  });

  it("counts a common password as a signal, and failed attempts on the account from several sources", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    for (let i = 0; i < 3; i++) await new Browser().post("/login", { email, password: `wrong guess ${i}` });
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    const codes = (await riskEventsOf(await userIdOf(email))).at(-1)?.codes;
    expect(codes).toEqual(expect.arrayContaining(["account_failures", "account_many_sources"]));
  });
});

describe("device lanes in the login backoff", () => {
  it("keeps the owner's usual browser logging in while attackers hammer the account from elsewhere", async () => {
    const owner = new Browser();
    const email = await createVerifiedAccount(owner);
    expect((await owner.post("/login", { email, password: GOOD_PASSWORD })).status).toBe(303);
    for (let i = 0; i < 8; i++) await new Browser().post("/login", { email, password: `attacker guess ${i}` });
    // Any browser the account never logged in from is slowed down, even with the right password…
    expect((await new Browser().post("/login", { email, password: GOOD_PASSWORD })).status).toBe(429);
    // …but the owner's device has its own lane.
    expect((await owner.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
    // And the owner's success does not hand the attackers a fresh budget.
    expect((await new Browser().post("/login", { email, password: "attacker guess 9" })).status).toBe(429);
  });

  it("gives a trusted device its own backoff when it is the one failing", async () => {
    const owner = new Browser();
    const email = await createVerifiedAccount(owner);
    await owner.post("/login", { email, password: GOOD_PASSWORD });
    for (let i = 0; i < 6; i++) await owner.post("/login", { email, password: `typo ${i}` });
    expect((await owner.post("/login", { email, password: GOOD_PASSWORD })).status).toBe(429);
    // Its failures were counted in its own lane, not against the account for everyone.
    expect((await new Browser().post("/login", { email, password: GOOD_PASSWORD })).status).toBe(303);
  });

  it("a forged device cookie is a new device: no lane, no known-device credit", async () => {
    const owner = new Browser();
    const email = await createVerifiedAccount(owner);
    await owner.post("/login", { email, password: GOOD_PASSWORD });
    const cookie = owner.cookies.get("__Host-gh_device") ?? "";
    const [id] = cookie.split(".");
    const forger = new Browser();
    forger.cookies.set("__Host-gh_device", `${id}.${"0".repeat(64)}`);
    for (let i = 0; i < 8; i++) await new Browser().post("/login", { email, password: `attacker guess ${i}` });
    expect((await forger.post("/login", { email, password: GOOD_PASSWORD })).status).toBe(429);
  });
});

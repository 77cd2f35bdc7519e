import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { stolenSessionReason } from "../../src/services/risk/session-binding";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "../helpers/accounts";
import { BERLIN_CF, PlacedBrowser, SYDNEY_CF, userIdOf } from "./support";

const SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

/** A placed browser that also sends a chosen User-Agent. */
class AgentBrowser extends PlacedBrowser {
  userAgent = FIREFOX_WINDOWS;
  override fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("user-agent", this.userAgent);
    return super.fetch(path, { ...init, headers });
  }
}

async function ownerAtHome(): Promise<{ owner: AgentBrowser; email: string }> {
  const owner = new AgentBrowser();
  owner.cf = BERLIN_CF;
  const email = await createVerifiedAccount(owner);
  await logIn(owner, email, GOOD_PASSWORD);
  expect((await owner.get("/account")).status).toBe(200);
  return { owner, email };
}

describe("session binding", () => {
  it("refuses and revokes a session cookie used without the device cookie it was issued with", async () => {
    const { owner, email } = await ownerAtHome();
    const thief = new AgentBrowser();
    thief.cf = BERLIN_CF;
    thief.cookies.set("__Host-gh_session", owner.cookies.get("__Host-gh_session") ?? "");
    const stolen = await thief.get("/account");
    expect(stolen.status).toBe(303);
    expect(stolen.headers.get("location")).toMatch(/^\/login/);
    // Revoked for good: the copy is useless everywhere, the owner logs in again.
    expect((await owner.get("/account")).status).toBe(303);
    const audit = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'risk.session_refused'")
      .bind(await userIdOf(email))
      .first<{ details: string }>();
    expect(JSON.parse(audit?.details ?? "{}")).toMatchObject({ reason: "device_mismatch" });
  });

  it("refuses both cookies replayed from another country in another browser", async () => {
    const { owner } = await ownerAtHome();
    const thief = new AgentBrowser();
    thief.cf = SYDNEY_CF;
    thief.userAgent = SAFARI_MAC;
    for (const [name, value] of owner.cookies) thief.cookies.set(name, value);
    expect((await thief.get("/account")).status).toBe(303);
  });

  it("keeps the session of a customer who travels with the same browser, or updates it at home", async () => {
    const { owner } = await ownerAtHome();
    owner.cf = SYDNEY_CF;
    expect((await owner.get("/account")).status).toBe(200);
    owner.cf = BERLIN_CF;
    owner.userAgent = SAFARI_MAC;
    expect((await owner.get("/account")).status).toBe(200);
  });

  it("judges only sessions that know their device", () => {
    const bound = { deviceId: "d1", country: "DE", family: "Firefox on Windows" };
    expect(stolenSessionReason({ deviceId: null, country: "DE", family: null }, { deviceId: null, country: "AU", family: "x" })).toBeNull();
    expect(stolenSessionReason(bound, { ...bound, deviceId: "d2" })).toBe("device_mismatch");
    expect(stolenSessionReason(bound, { ...bound, country: null, family: "Safari on macOS" })).toBeNull();
    expect(stolenSessionReason(bound, { ...bound, country: "AU", family: "Safari on macOS" })).toBe("context_changed");
  });
});

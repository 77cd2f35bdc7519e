import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { BOT, FIREFOX_ON_WINDOWS, LYON, logInFrom, userIdOf } from "./support";

const GENEVA = { country: "CH", city: "Geneva", latitude: "46.20", longitude: "6.14", asn: 3303 };

/** An account with a history: home in Lyon, a new device in Lyon, a blocked bot; `home` is signed in. */
async function accountWithHistory() {
  const home = new Browser();
  const email = await createVerifiedAccount(home);
  await logInFrom(home, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
  await logInFrom(new Browser(), email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
  await logInFrom(new Browser(), email, { cf: BOT, userAgent: FIREFOX_ON_WINDOWS });
  await logInFrom(home, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
  return { home, email, userId: await userIdOf(email) };
}

describe("recent sign-ins on the account page", () => {
  it("lists the account's own decisions in plain words, newest first, with time and device", async () => {
    const { home } = await accountWithHistory();
    const page = await home.get("/account/activity");
    expect(page.status).toBe(200);
    const html = await page.text();
    const decisions = [...html.matchAll(/data-decision="(\w+)"/g)].map((match) => match[1]);
    expect(decisions).toEqual(["allow", "deny", "step_up", "allow"]);
    expect(html).toContain("Sign-in from Lyon, France — signed in");
    expect(html).toContain("New device in Lyon, France — marked as unusual");
    expect(html).toContain("Blocked: New device in Ashburn, United States");
    expect(html).toContain("clear signs of an automated program");
    expect(html).toContain("Firefox on Windows");
    expect(html).toMatch(/\d{2}:\d{2} UTC/);
  });

  it("says a second factor was asked for when the login waited for one", async () => {
    const home = new Browser();
    const email = await createVerifiedAccount(home);
    await logInFrom(home, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
    const userId = await userIdOf(email);
    await env.DB.prepare("INSERT INTO totp_factors (user_id, encrypted_secret, confirmed_at, created_at) VALUES (?, 'x', ?, ?)")
      .bind(userId, Date.now(), Date.now())
      .run();
    // Geneva on a new device: a step-up; with an authenticator app the login now waits at the second step.
    expect((await logInFrom(new Browser(), email, { cf: GENEVA, userAgent: FIREFOX_ON_WINDOWS })).headers.get("location")).toBe("/login/mfa");
    await env.DB.prepare("DELETE FROM totp_factors WHERE user_id = ?").bind(userId).run();
    await logInFrom(home, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
    const html = await (await home.get("/account/activity")).text();
    expect(html).toContain("New device in Geneva, Switzerland — we asked for a second factor");
  });

  it("never shows another account's sign-ins", async () => {
    const { home, userId } = await accountWithHistory();
    const other = new Browser();
    const otherEmail = await createVerifiedAccount(other);
    await logInFrom(other, otherEmail, { cf: GENEVA, userAgent: FIREFOX_ON_WINDOWS });
    const otherId = await userIdOf(otherEmail);
    const otherEvents = await env.DB.prepare("SELECT id FROM risk_events WHERE user_id = ?").bind(otherId).all<{ id: string }>();
    expect(otherEvents.results.length).toBeGreaterThan(0);
    const html = await (await home.get("/account/activity")).text();
    for (const event of otherEvents.results) expect(html).not.toContain(event.id);
    expect(html).not.toContain("Geneva");
    const own = await env.DB.prepare("SELECT id FROM risk_events WHERE user_id = ?").bind(userId).all<{ id: string }>();
    const shown = [...html.matchAll(/data-event-id="([^"]+)"/g)].map((match) => match[1]);
    expect(shown.sort()).toEqual(own.results.map((row) => row.id).sort());
    // And the other account sees its own, not ours.
    const theirs = await (await other.get("/account/activity")).text();
    expect(theirs).toContain("Geneva, Switzerland");
    expect(theirs).not.toContain("Ashburn");
  });

  it("is in German for German readers, needs a session, and is linked from the account page", async () => {
    const { home } = await accountWithHistory();
    const german = await home.fetch("/account/activity", { headers: { "accept-language": "de" } });
    const html = await german.text();
    expect(html).toContain("Letzte Anmeldungen");
    expect(html).toContain("Neues Gerät in Lyon, Frankreich — als ungewöhnlich markiert");
    expect(html).toContain("Blockiert: Neues Gerät in Ashburn, Vereinigte Staaten");
    expect(html).toContain("Firefox unter Windows");
    const anonymous = await new Browser().get("/account/activity");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/login?return_to=%2Faccount%2Factivity");
    expect(await (await home.get("/account")).text()).toContain('href="/account/activity"');
  });
});

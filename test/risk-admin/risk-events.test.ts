import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, admin, expectProblem } from "../admin/helpers";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { BERLIN, postLogin, type RiskEventJson, riskEventsPage, SYDNEY, userIdOf } from "./helpers";

/** An account with three stored decisions: allowed in Berlin, denied from Sydney, allowed in Berlin again. */
async function accountWithHistory(): Promise<{ userId: string; browser: Browser }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  expect((await postLogin(browser, { email }, BERLIN)).headers.get("location")).toBe("/account");
  const thief = new Browser();
  expect((await postLogin(thief, { email }, SYDNEY)).headers.get("location")).toBe("/login?notice=risk_denied");
  expect((await postLogin(browser, { email }, BERLIN)).headers.get("location")).toBe("/account");
  return { userId: await userIdOf(email), browser };
}

describe("GET /admin/v1/risk-events", () => {
  it("lists an account's decisions newest first, with reasons, signals, place, device and session", async () => {
    const { userId, browser } = await accountWithHistory();
    const { events, next_cursor } = await riskEventsPage(`user_id=${userId}`);
    expect(next_cursor).toBeNull();
    expect(events.map((event) => event.decision)).toEqual(["allow", "deny", "allow"]);
    const [latest, denied] = events as [RiskEventJson, RiskEventJson, RiskEventJson];
    expect(Object.keys(latest).sort()).toEqual(
      [
        "id",
        "user_id",
        "client_id",
        "decision",
        "score",
        "reasons",
        "signals",
        "ip",
        "country",
        "city",
        "device",
        "factor",
        "session_id",
        "reported_at",
        "created_at",
      ].sort(),
    );
    expect(latest).toMatchObject({
      user_id: userId,
      client_id: null,
      score: 0,
      reasons: [],
      ip: browser.ip,
      country: "DE",
      city: "Berlin",
      factor: "password",
    });
    expect(latest.session_id).toEqual(expect.any(String));
    expect(latest.reported_at).toBeNull();
    expect(latest.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(denied).toMatchObject({ country: "AU", city: "Sydney", score: 100, session_id: null });
    expect(denied.reasons[0]).toEqual({ code: "impossible_travel", message: "Too far from the last login for the time between them", points: 50 });
    expect(denied.signals.place).toMatchObject({ impossibleTravel: true });
    const times = events.map((event) => Date.parse(event.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by decision", async () => {
    const { userId } = await accountWithHistory();
    const denied = (await riskEventsPage(`user_id=${userId}&decision=deny`)).events;
    expect(denied.map((event) => event.decision)).toEqual(["deny"]);
    expect((await riskEventsPage(`user_id=${userId}&decision=step_up`)).events).toEqual([]);
    // Without user_id every account's decisions are listed; the filter still holds.
    const all = (await riskEventsPage("decision=deny&limit=200")).events;
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((event) => event.decision === "deny")).toBe(true);
    expect(all.map((event) => event.id)).toContain(denied[0]?.id);
  });

  it("pages with limit and cursor, without gaps or repeats", async () => {
    const { userId } = await accountWithHistory();
    const all = (await riskEventsPage(`user_id=${userId}`)).events;
    const seen: RiskEventJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { events: RiskEventJson[]; next_cursor: string | null } = await riskEventsPage(
        `user_id=${userId}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...page.events);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen.map((event) => event.id)).toEqual(all.map((event) => event.id));
  });

  it("refuses a foreign cursor, an unknown decision or parameter, and a missing token", async () => {
    const cursor = await expectProblem(await admin("/admin/v1/risk-events?cursor=bm90LWEtY3Vyc29y"), 400);
    expect(cursor.errors).toEqual([expect.objectContaining({ in: "query", field: "cursor", code: "cursor_invalid" })]);
    const decision = await expectProblem(await admin("/admin/v1/risk-events?decision=maybe"), 400);
    expect(decision.errors?.map((error) => error.field)).toEqual(["decision"]);
    const unknown = await expectProblem(await admin("/admin/v1/risk-events?score=100"), 400);
    expect(unknown.errors?.map((error) => [error.field, error.code])).toEqual([["score", "unknown_field"]]);
    await expectProblem(await admin("/admin/v1/risk-events?limit=0"), 400);
    expect((await admin("/admin/v1/risk-events", { token: `${ADMIN_TOKEN}x` })).status).toBe(401);
  });
});

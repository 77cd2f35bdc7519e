import { describe, expect, it } from "vitest";
import { admin, createUser, expectProblem, strongPassword } from "./helpers";

interface EventJson {
  id: string;
  occurred_at: string;
  type: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  user_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown> | null;
}

interface EventPage {
  events: EventJson[];
  next_cursor: string | null;
}

async function eventsOf(userId: string, query = ""): Promise<EventPage> {
  const response = await admin(`/admin/v1/audit-events?user_id=${userId}${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as EventPage;
}

describe("GET /admin/v1/audit-events", () => {
  it("records every admin action with the admin as actor, newest first", async () => {
    const user = await createUser();
    const id = user.id;
    await admin(`/admin/v1/users/${id}`, { method: "PATCH", json: { name: "Audited", password: strongPassword() } });
    await admin(`/admin/v1/users/${id}/disable`, { method: "POST" });
    await admin(`/admin/v1/users/${id}/enable`, { method: "POST" });
    await admin(`/admin/v1/users/${id}/sessions`, { method: "DELETE" });
    const deleted = await admin(`/admin/v1/users/${id}`, { method: "DELETE", headers: { "user-agent": "ops-script/1.0", "cf-connecting-ip": "198.51.100.7" } });

    const { events } = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual([
      "admin.user_deleted",
      "admin.session_revoked",
      "admin.user_enabled",
      "admin.user_disabled",
      "admin.user_updated",
      "admin.user_created",
    ]);
    for (const event of events) expect(event).toMatchObject({ outcome: "success", actor_type: "admin", actor_id: "admin_api_token", user_id: id });
    expect(events[0]).toMatchObject({ ip: "198.51.100.7", user_agent: "ops-script/1.0", request_id: deleted.headers.get("x-request-id") });
    expect(events.find((event) => event.type === "admin.user_updated")?.details).toEqual({ fields: ["password", "name"] });
    expect(events[0]?.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(JSON.stringify(events)).not.toContain("Zebra-");
  });

  it("pages newest first with limit and cursor, without gaps or repeats", async () => {
    const user = await createUser();
    for (let i = 0; i < 4; i++) await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { name: `Name ${i}` } });
    const all = (await eventsOf(user.id)).events;
    expect(all).toHaveLength(5);

    const seen: EventJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: EventPage = await eventsOf(user.id, `&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...page.events);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((event) => event.id)).toEqual(all.map((event) => event.id));
    const times = seen.map((event) => Date.parse(event.occurred_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by type", async () => {
    const user = await createUser();
    await admin(`/admin/v1/users/${user.id}/disable`, { method: "POST" });
    const { events } = await eventsOf(user.id, "&type=admin.user_disabled");
    expect(events.map((event) => event.type)).toEqual(["admin.user_disabled"]);
    const response = await admin("/admin/v1/audit-events?type=admin.user_created&limit=3");
    const page = (await response.json()) as EventPage;
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((event) => event.type === "admin.user_created")).toBe(true);
  });

  it("refuses bad paging and filter parameters", async () => {
    await expectProblem(await admin("/admin/v1/audit-events?limit=500"), 400);
    await expectProblem(await admin("/admin/v1/audit-events?cursor=%%%"), 400);
    await expectProblem(await admin("/admin/v1/audit-events?cursor=eyJ0IjoieCJ9"), 400);
    await expectProblem(await admin("/admin/v1/audit-events?type=DROP%20TABLE"), 400);
  });
});

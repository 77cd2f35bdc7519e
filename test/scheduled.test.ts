import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { createVerifiedAccount } from "./helpers/accounts";
import { Browser } from "./helpers/http";

describe("scheduled maintenance (Cron Trigger)", () => {
  it("rotates keys only when due and purges expired client-assertion ids", async () => {
    // Make sure keys exist, then age the active ones past the rotation interval.
    await exports.default.fetch(new Request("http://localhost:8787/jwks.json"));
    const before = await env.DB.prepare("SELECT kid FROM signing_keys WHERE status = 'active'").all<{ kid: string }>();
    await env.DB.prepare("INSERT INTO used_jtis (client_id, jti, expires_at) VALUES ('c', 'old', 1)").run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const unchanged = await env.DB.prepare("SELECT kid FROM signing_keys WHERE status = 'active'").all<{ kid: string }>();
    expect(unchanged.results.map((row) => row.kid).sort()).toEqual(before.results.map((row) => row.kid).sort());
    expect(await env.DB.prepare("SELECT jti FROM used_jtis WHERE jti = 'old'").first()).toBeNull();

    await env.DB.prepare("UPDATE signing_keys SET activated_at = 0, created_at = 0 WHERE status = 'active'").run();
    const ctx2 = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx2);
    await waitOnExecutionContext(ctx2);
    const retired = await env.DB.prepare("SELECT kid FROM signing_keys WHERE status = 'retired'").all<{ kid: string }>();
    expect(retired.results.map((row) => row.kid)).toEqual(expect.arrayContaining(before.results.map((row) => row.kid)));
  });

  it("deletes risk decisions older than RISK_EVENTS_RETENTION_DAYS (180 by default) and keeps newer ones", async () => {
    const email = await createVerifiedAccount(new Browser());
    const user = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
    const day = 24 * 3600 * 1000;
    const insert = (id: string, ageDays: number) =>
      env.DB.prepare(
        "INSERT INTO risk_events (id, user_id, decision, score, reasons, signals, factor, created_at) VALUES (?, ?, 'allow', 0, '[]', '{}', 'password', ?)",
      )
        .bind(id, user?.id, Date.now() - ageDays * day)
        .run();
    await insert(`old-${email}`, 181);
    await insert(`recent-${email}`, 179);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("SELECT id FROM risk_events WHERE user_id = ?").bind(user?.id).all<{ id: string }>();
    expect(left.results.map((row) => row.id)).toEqual([`recent-${email}`]);
  });
});

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";

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
});

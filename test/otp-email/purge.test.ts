import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { userIdOf } from "./helpers";

describe("daily clean-up of one-time codes", () => {
  it("deletes codes a day after they expired and keeps younger ones", async () => {
    const userId = await userIdOf(await createVerifiedAccount(new Browser()));
    const now = Date.now();
    const insert = (id: string, expiresAt: number) =>
      env.DB.prepare(
        "INSERT INTO one_time_codes (id, user_id, channel, purpose, destination, code_hash, created_at, expires_at) VALUES (?, ?, 'email', 'login', 'x@example.com', 'h', ?, ?)",
      ).bind(id, userId, expiresAt - 600_000, expiresAt);
    await env.DB.batch([insert(`old-${userId}`, now - 25 * 3600_000), insert(`recent-${userId}`, now - 3600_000), insert(`open-${userId}`, now + 600_000)]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("SELECT id FROM one_time_codes WHERE user_id = ? ORDER BY id").bind(userId).all<{ id: string }>();
    expect(left.results.map((row) => row.id)).toEqual([`open-${userId}`, `recent-${userId}`]);
  });
});

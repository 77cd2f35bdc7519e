import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";

describe("daily clean-up of push approvals", () => {
  it("deletes approvals a day after they expired and keeps younger ones", async () => {
    const email = await createVerifiedAccount(new Browser());
    const { id: userId } = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>()) as { id: string };
    const now = Date.now();
    const insert = (id: string, expiresAt: number) =>
      env.DB.prepare(
        "INSERT INTO push_approvals (id, user_id, pending_login_id, token_hash, match_number, choices, context, status, created_at, expires_at) VALUES (?, ?, 'p', ?, 42, '[42,17,80]', '{}', 'denied', ?, ?)",
      ).bind(id, userId, `hash-${id}`, expiresAt - 120_000, expiresAt);
    await env.DB.batch([insert(`old-${userId}`, now - 25 * 3600_000), insert(`recent-${userId}`, now - 3600_000)]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("SELECT id FROM push_approvals WHERE user_id = ?").bind(userId).all<{ id: string }>();
    expect(left.results.map((row) => row.id)).toEqual([`recent-${userId}`]);
  });
});

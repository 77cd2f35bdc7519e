import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { rememberCeremony, takeCeremony } from "../../src/services/passkeys/ceremonies";
import { testDeps } from "../helpers/deps";

describe("WebAuthn challenge store (D1, keyed by the challenge)", () => {
  it("hands a challenge out once, even to parallel requests", async () => {
    const deps = testDeps();
    const challenge = `race-${crypto.randomUUID()}`;
    await rememberCeremony(deps, challenge, "authenticate");
    const takes = await Promise.all(Array.from({ length: 8 }, () => takeCeremony(deps, challenge, "authenticate")));
    expect(takes.filter(Boolean)).toHaveLength(1);
  });

  it("never hands out an expired challenge, nor one made for another purpose", async () => {
    const now = Date.now();
    const deps = testDeps({ clock: () => now });
    await rememberCeremony(deps, "stale-one", "authenticate");
    expect(await takeCeremony(testDeps({ clock: () => now + 5 * 60 * 1000 }), "stale-one", "authenticate")).toBeNull();
    await rememberCeremony(deps, "register-one", "register", { userId: "u1" });
    expect(await takeCeremony(deps, "register-one", "authenticate")).toBeNull();
    // …and the attempt used it up: it cannot be taken for its own purpose afterwards either.
    expect(await takeCeremony(deps, "register-one", "register")).toBeNull();
  });

  it("is purged of expired rows by the daily cron", async () => {
    await env.DB.prepare("INSERT INTO webauthn_challenges (challenge, purpose, created_at, expires_at) VALUES ('expired-row', 'authenticate', 0, 1)").run();
    await env.DB.prepare("INSERT INTO webauthn_challenges (challenge, purpose, created_at, expires_at) VALUES ('live-row', 'authenticate', 0, ?)")
      .bind(Date.now() + 60_000)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.DB.prepare("SELECT challenge FROM webauthn_challenges WHERE challenge IN ('expired-row', 'live-row')").all()).toMatchObject({
      results: [{ challenge: "live-row" }],
    });
  });
});

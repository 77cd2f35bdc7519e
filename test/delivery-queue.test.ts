import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Delivery, retryDelayMs } from "../src/durable/delivery-queue";

// Delivery itself (and its success) is proven end to end against a real receiver (test/e2e/oidc-*.test.ts);
// here: the schedule and that a queued delivery is persisted with an alarm.
describe("DeliveryQueue (back-channel logout retries)", () => {
  it("backs off 10 s, 20 s, 40 s … up to an hour", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });

  it("persists a queued delivery and schedules an alarm for it", async () => {
    const stub = env.DELIVERY_QUEUE.get(env.DELIVERY_QUEUE.idFromName(`test:${crypto.randomUUID()}`));
    const before = Date.now();
    await stub.enqueue({ id: "d1", url: "https://rp.example/backchannel", body: "logout_token=x" });
    const stored = await runInDurableObject(stub, async (_instance, state) => ({
      delivery: await state.storage.get<Delivery>("delivery:d1"),
      alarm: await state.storage.getAlarm(),
    }));
    expect(stored.delivery).toMatchObject({ id: "d1", url: "https://rp.example/backchannel", body: "logout_token=x" });
    expect(stored.delivery?.nextAttemptAt).toBeGreaterThanOrEqual(before);
    // The alarm is set for now (or has already fired and been rescheduled for a retry).
    expect(stored.alarm === null || stored.alarm >= before).toBe(true);
  });
});

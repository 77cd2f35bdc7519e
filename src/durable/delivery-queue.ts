import { DurableObject } from "cloudflare:workers";

/** One HTTP POST to deliver (a back-channel logout token now; webhooks later). */
export interface Delivery {
  id: string;
  url: string;
  /** `application/x-www-form-urlencoded` body. */
  body: string;
  attempts: number;
  nextAttemptAt: number;
}

const PREFIX = "delivery:";
export const MAX_ATTEMPTS = 8;
const REQUEST_TIMEOUT_MS = 5_000;

/** Wait before attempt n+1: 10 s, 20 s, 40 s … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** (attempts - 1), 3_600_000);
}

/**
 * Delivers POSTs with retries, one instance per receiving client (`client:<id>`). Pending deliveries
 * live in storage and the next try is a Durable Object alarm, so retries survive restarts.
 */
export class DeliveryQueue extends DurableObject<Env> {
  async enqueue(delivery: Omit<Delivery, "attempts" | "nextAttemptAt">): Promise<void> {
    await this.ctx.storage.put(PREFIX + delivery.id, { ...delivery, attempts: 0, nextAttemptAt: Date.now() });
    await this.ctx.storage.setAlarm(Date.now());
  }

  async pending(): Promise<Delivery[]> {
    return [...(await this.ctx.storage.list<Delivery>({ prefix: PREFIX })).values()];
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    let next: number | null = null;
    for (const delivery of await this.pending()) {
      if (delivery.nextAttemptAt > now) {
        next = Math.min(next ?? delivery.nextAttemptAt, delivery.nextAttemptAt);
        continue;
      }
      const delivered = await this.send(delivery);
      const attempts = delivery.attempts + 1;
      if (delivered || attempts >= MAX_ATTEMPTS) {
        await this.ctx.storage.delete(PREFIX + delivery.id);
        if (!delivered) console.warn(JSON.stringify({ level: "warn", message: "delivery abandoned", url: new URL(delivery.url).origin, attempts }));
        continue;
      }
      const nextAttemptAt = now + retryDelayMs(attempts);
      await this.ctx.storage.put(PREFIX + delivery.id, { ...delivery, attempts, nextAttemptAt });
      next = Math.min(next ?? nextAttemptAt, nextAttemptAt);
    }
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  private async send(delivery: Delivery): Promise<boolean> {
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return response.ok;
    } catch {
      return false;
    }
  }
}

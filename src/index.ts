import { createApp } from "./app";
import { loadConfig } from "./config";
import { log } from "./lib/log";
import { systemClock } from "./services/clock";
import { rotateKeysIfDue } from "./services/oidc/keys";
import { openDatabase } from "./storage/db";

export { DeliveryQueue } from "./durable/delivery-queue";
export { IpGuard } from "./durable/ip-guard";
export { UserGuard } from "./durable/user-guard";

const app = createApp();

export default {
  fetch: app.fetch,
  /** Cron Trigger (wrangler.toml): signing-key rotation when due. */
  async scheduled(_controller, env) {
    const config = loadConfig(env as unknown as Record<string, unknown>);
    const rotated = await rotateKeysIfDue({ db: openDatabase(env.DB), clock: systemClock, config });
    log("info", "scheduled key rotation check", { rotated });
  },
} satisfies ExportedHandler<Env>;

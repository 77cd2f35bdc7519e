import { createApp } from "./app";
import { loadConfig } from "./config";
import { log } from "./lib/log";
import { systemClock } from "./services/clock";
import { rotateKeysIfDue } from "./services/oidc/keys";
import { usedJtisStore } from "./storage/clients-store";
import { openDatabase } from "./storage/db";
import { oauthGrantsStore } from "./storage/oauth-grants-store";
import { oneTimeCodesStore } from "./storage/one-time-codes-store";
import { pushApprovalsStore } from "./storage/push-approvals-store";
import { signupRequestsStore } from "./storage/signup-requests-store";
import { webauthnChallengesStore } from "./storage/webauthn-challenges-store";

export { DeliveryQueue } from "./durable/delivery-queue";
export { IpGuard } from "./durable/ip-guard";
export { UserGuard } from "./durable/user-guard";

const app = createApp();

export default {
  fetch: app.fetch,
  /** Cron Trigger (wrangler.toml): signing-key rotation when due, and clean-up of expired single-use records. */
  async scheduled(_controller, env, _ctx) {
    const config = loadConfig(env as unknown as Record<string, unknown>);
    const db = openDatabase(env.DB);
    const now = systemClock();
    const rotated = await rotateKeysIfDue({ db, clock: systemClock, config });
    await db.batch([
      usedJtisStore(db).purgeExpiredStatement(now),
      oauthGrantsStore(db).deleteExpiredPushedStatement(now),
      oneTimeCodesStore(db).purgeExpiredStatement(now),
      webauthnChallengesStore(db).purgeExpiredStatement(now),
      pushApprovalsStore(db).purgeExpiredStatement(now),
      signupRequestsStore(db).purgeExpiredStatement(now),
    ]);
    log("info", "scheduled maintenance", { rotated });
  },
} satisfies ExportedHandler<Env>;

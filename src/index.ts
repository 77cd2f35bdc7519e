import { createApp } from "./app";
import { loadConfig } from "./config";
import { log } from "./lib/log";
import { machineLane } from "./routes/machine-lane";
import { systemClock } from "./services/clock";
import { rotateKeysIfDue } from "./services/oidc/keys";
import { usedJtisStore } from "./storage/clients-store";
import { openDatabase } from "./storage/db";
import { oauthGrantsStore } from "./storage/oauth-grants-store";
import { oneTimeCodesStore } from "./storage/one-time-codes-store";
import { pushApprovalsStore } from "./storage/push-approvals-store";
import { riskEventsStore } from "./storage/risk-events-store";
import { signupRequestsStore } from "./storage/signup-requests-store";
import { webauthnChallengesStore } from "./storage/webauthn-challenges-store";

export { DeliveryQueue } from "./durable/delivery-queue";
export { IpGuard } from "./durable/ip-guard";
export { UserGuard } from "./durable/user-guard";

const app = createApp();

export default {
  async fetch(request: Request, env: Env, executionCtx: ExecutionContext) {
    const lane = machineLane(request);
    if (!lane) return app.fetch(request, env, executionCtx);
    try {
      return await lane(request, env, executionCtx);
    } catch {
      // Only the GET lanes can throw (a bad configuration, an unreadable key ring): the app runs the same route
      // again and its error handler answers and logs it. The token lane answers every failure itself.
      return app.fetch(request, env, executionCtx);
    }
  },
  /** Cron Trigger (wrangler.toml): signing-key rotation when due, clean-up of expired single-use records and of old risk decisions. */
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
      riskEventsStore(db).purgeOlderThanStatement(now - config.riskEventsRetentionDays * 24 * 3600 * 1000),
    ]);
    log("info", "scheduled maintenance", { rotated });
  },
} satisfies ExportedHandler<Env>;

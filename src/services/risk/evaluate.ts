import { edgeFacts } from "../../lib/edge-facts";
import { normalizeEmail } from "../../lib/email";
import { sha256Hex } from "../../lib/hashing";
import { askGuard } from "../../storage/guards";
import { usersStore } from "../../storage/users-store";
import { type AdminOutcome, notFound, ok } from "../admin-outcome";
import type { FactorKind } from "../auth/methods";
import type { Deps } from "../deps";
import { findClient } from "../oidc/clients";
import { NO_VELOCITY, type VelocityFacts } from "./context";
import { assessLogin, type RiskAssessment } from "./engine";
import { readGlobalRates } from "./global-rates";
import { globalRiskPolicy, withClientOverrides } from "./policy";

/** A login as an operator describes it: who, from where, with what, when. */
export interface WhatIf {
  userId: string;
  ip: string;
  /** An object shaped like `request.cf`; checked field by field like the real one. */
  cf: unknown;
  deviceId: string | null;
  userAgent: string | null;
  /** Epoch milliseconds; null: now. */
  time: number | null;
  /** The app the login would be for (its `risk_policy` thresholds apply); null: the global policy. */
  clientId: string | null;
  /** Null: a login whose first factor is not known yet. */
  firstFactor: FactorKind | null;
}

/**
 * What the risk engine would decide about a login now (or at `time`), for operators testing their
 * policy. It reads exactly what a real login reads — the account's profile, the login name's and the
 * source's failure counts, the service-wide rates, the policy — and writes nothing: no profile update,
 * no counter, no stored decision, no audit event.
 *
 * The account and source failure counts weigh on password logins only, as in a real login (the other
 * first factors are not checked against those guards); a what-if without `first_factor` counts them too,
 * the cautious reading.
 */
export async function evaluateWhatIf(deps: Pick<Deps, "db" | "guards" | "clock">, input: WhatIf): Promise<AdminOutcome<RiskAssessment>> {
  const user = await usersStore(deps.db).findById(input.userId);
  if (!user) return notFound("user");
  const client = input.clientId === null ? null : await findClient(deps, input.clientId);
  if (input.clientId !== null && !client) return notFound("client");

  const now = input.time ?? deps.clock();
  const emailHash = await sha256Hex(normalizeEmail(user.email) ?? user.email);
  const [profile, byName, bySource, rates, global] = await Promise.all([
    askGuard(() => deps.guards.user(user.id).riskProfile()),
    askGuard(() => deps.guards.login(emailHash).checkLogin(now, input.deviceId)),
    askGuard(() => deps.guards.ip(input.ip).checkLogin(now)),
    // The rates as they are now, whatever `time` says: no history of them is kept.
    readGlobalRates(deps),
    globalRiskPolicy(deps),
  ]);
  const checked = input.firstFactor === null || input.firstFactor === "password";
  const velocity: VelocityFacts = {
    ...NO_VELOCITY,
    ...(checked
      ? { accountFailures: byName.failures, accountSources: byName.sources, sourceFailures: bySource.failures, sourceAccounts: bySource.accounts }
      : {}),
    globalFailuresPerMinute: rates.failuresPerMinute,
    globalSignupsPerMinute: rates.signupsPerMinute,
  };
  const assessment = assessLogin(
    {
      now,
      edge: edgeFacts(input.cf),
      userAgent: input.userAgent,
      deviceId: input.deviceId,
      firstFactor: input.firstFactor,
      // A what-if never sees a password, so it cannot know whether it is a common one.
      commonPassword: false,
      velocity,
      profile,
    },
    withClientOverrides(global, client?.riskPolicy ?? null),
  );
  return ok(assessment);
}

import type { LoginObservation } from "../../durable/risk-profile";
import { askGuard } from "../../storage/guards";
import type { UserRow } from "../../storage/schema";
import type { FactorKind } from "../auth/methods";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { NO_VELOCITY, type VelocityFacts } from "./context";
import { assessLogin, type RiskAssessment } from "./engine";
import { globalRates } from "./global-rates";
import { type ClientRiskPolicy, globalRiskPolicy, type RiskPolicy, withClientOverrides } from "./policy";
import { localHour } from "./signals/behaviour";
import { describeFamily, userAgentFamily } from "./signals/user-agent";

/** What the first factor knew about the attempt before the user was identified. */
export interface FirstFactorFacts {
  factor: FactorKind;
  /** The typed password is a common or breached one (password logins). */
  commonPassword?: boolean;
  /** Counts the login and source guards returned when the attempt was checked (password logins). */
  velocity?: Partial<VelocityFacts>;
}

export interface LoginRisk {
  assessment: RiskAssessment;
  policy: RiskPolicy;
  /** What the login adds to the account's history once it succeeds. */
  observation: LoginObservation;
}

/**
 * Scores a login whose first factor succeeded. Its only Durable Object call is the account profile
 * read, which replaces the known-device check the login made before; the service-wide rates come
 * from the isolate's cache.
 */
export async function assessLoginRisk(
  deps: Pick<Deps, "db" | "guards" | "clock" | "defer">,
  request: RequestContext,
  login: { user: UserRow; deviceId: string | null; facts: FirstFactorFacts; clientRisk: ClientRiskPolicy | null },
): Promise<LoginRisk> {
  const [profile, global] = await Promise.all([askGuard(() => deps.guards.user(login.user.id).riskProfile()), globalRiskPolicy(deps)]);
  const policy = withClientOverrides(global, login.clientRisk);
  const rates = globalRates(deps);
  const now = deps.clock();
  const assessment = assessLogin(
    {
      now,
      edge: request.edge,
      userAgent: request.userAgent,
      deviceId: login.deviceId,
      firstFactor: login.facts.factor,
      commonPassword: login.facts.commonPassword ?? false,
      velocity: { ...NO_VELOCITY, ...login.facts.velocity, globalFailuresPerMinute: rates.failuresPerMinute, globalSignupsPerMinute: rates.signupsPerMinute },
      profile,
    },
    policy,
  );
  return { assessment, policy, observation: observationOf(request, login.deviceId, now) };
}

export function observationOf(request: RequestContext, deviceId: string | null, now: number): LoginObservation {
  const edge = request.edge;
  return {
    at: now,
    deviceId,
    family: describeFamily(userAgentFamily(request.userAgent)),
    country: edge.country,
    city: edge.city,
    latitude: edge.latitude,
    longitude: edge.longitude,
    asn: edge.asn,
    localHour: localHour(edge, now),
  };
}

import { z } from "zod";
import { settingsStore } from "../../storage/settings-store";
import type { Deps } from "../deps";
import type { NetworkLists } from "./signals/network";
import type { SurgeThresholds } from "./signals/velocity";

/** How scores become decisions. Global (`PUT /admin/v1/settings/risk`), thresholds overridable per app. */
export interface RiskPolicy {
  /** From this score a login needs a second factor (under the `adaptive` MFA policy). */
  stepUpAt: number;
  /** From this score a login is refused, under every MFA policy. */
  denyAt: number;
  /** From this source score (before the password is checked) a configured Turnstile challenge is shown. */
  turnstileAt: number;
  /** Email the owner about logins from a new device (and always about refused or suspicious ones). */
  notifyNewDevice: boolean;
  surge: SurgeThresholds;
  lists: NetworkLists;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = {
  stepUpAt: 30,
  denyAt: 85,
  turnstileAt: 40,
  notifyNewDevice: true,
  surge: { failuresPerMinute: 60, signupsPerMinute: 30 },
  lists: { hostingAsns: [], anonymizerAsns: [] },
};

const score = z.number().int().min(1).max(101);
const asns = z.array(z.number().int().min(0).max(4_294_967_295)).max(1000);

/** The wire form (snake_case), shared by the settings API and the stored JSON. */
export const RiskSettingsSchema = z
  .object({
    step_up_at: score,
    deny_at: score,
    turnstile_at: score,
    notify_new_device: z.boolean(),
    surge_failures_per_minute: z.number().int().positive(),
    surge_signups_per_minute: z.number().int().positive(),
    hosting_asns: asns,
    anonymizer_asns: asns,
  })
  .strict()
  .refine((value) => value.step_up_at <= value.deny_at, { message: "step_up_at must not exceed deny_at", path: ["step_up_at"] });

export type RiskSettings = z.infer<typeof RiskSettingsSchema>;

/** Per-app overrides in the client's metadata (`risk_policy`). */
export const ClientRiskPolicySchema = z
  .object({
    step_up_at: score.optional(),
    deny_at: score.optional(),
    /** Add a `gatehouse_risk` claim (score, decision, reason codes) to this app's ID tokens. */
    risk_claim: z.boolean().optional(),
  })
  .strict();

export type ClientRiskPolicy = z.infer<typeof ClientRiskPolicySchema>;

export function toSettings(policy: RiskPolicy): RiskSettings {
  return {
    step_up_at: policy.stepUpAt,
    deny_at: policy.denyAt,
    turnstile_at: policy.turnstileAt,
    notify_new_device: policy.notifyNewDevice,
    surge_failures_per_minute: policy.surge.failuresPerMinute,
    surge_signups_per_minute: policy.surge.signupsPerMinute,
    hosting_asns: [...policy.lists.hostingAsns],
    anonymizer_asns: [...policy.lists.anonymizerAsns],
  };
}

export function fromSettings(settings: RiskSettings): RiskPolicy {
  return {
    stepUpAt: settings.step_up_at,
    denyAt: settings.deny_at,
    turnstileAt: settings.turnstile_at,
    notifyNewDevice: settings.notify_new_device,
    surge: { failuresPerMinute: settings.surge_failures_per_minute, signupsPerMinute: settings.surge_signups_per_minute },
    lists: { hostingAsns: settings.hosting_asns, anonymizerAsns: settings.anonymizer_asns },
  };
}

const SETTINGS_KEY = "risk";

/**
 * How long an isolate reuses the global policy it read: every login needs it, and a D1 read per login
 * costs more than the decision. A change reaches other isolates within this time; the isolate that
 * made it sees it at once. Measured in real time, not the injected clock (tests move that freely).
 */
const POLICY_CACHE_MS = 10_000;
let cachedPolicy: { until: number; policy: RiskPolicy } | null = null;
/** Bumped by every change, so a read that began before it cannot cache the old policy after it. */
let policyGeneration = 0;

export async function globalRiskPolicy(deps: Pick<Deps, "db">): Promise<RiskPolicy> {
  if (cachedPolicy && Date.now() < cachedPolicy.until) return cachedPolicy.policy;
  const generation = policyGeneration;
  const stored = RiskSettingsSchema.safeParse(await settingsStore(deps.db).get(SETTINGS_KEY));
  const policy = stored.success ? fromSettings(stored.data) : DEFAULT_RISK_POLICY;
  if (generation === policyGeneration) cachedPolicy = { until: Date.now() + POLICY_CACHE_MS, policy };
  return policy;
}

export async function setGlobalRiskPolicy(deps: Pick<Deps, "db" | "clock">, settings: RiskSettings): Promise<void> {
  await settingsStore(deps.db).put(SETTINGS_KEY, settings, deps.clock());
  policyGeneration++;
  cachedPolicy = null;
}

/** The global policy with an app's thresholds applied. */
export function withClientOverrides(policy: RiskPolicy, client: ClientRiskPolicy | null): RiskPolicy {
  if (!client) return policy;
  const stepUpAt = client.step_up_at ?? policy.stepUpAt;
  return { ...policy, stepUpAt, denyAt: Math.max(client.deny_at ?? policy.denyAt, stepUpAt) };
}

import type { RiskProfile } from "../../../durable/risk-profile";
import type { EdgeFacts } from "../../../lib/edge-facts";
import { type RiskReason, reason } from "../vocabulary";

const DORMANT_MS = 180 * 24 * 3600 * 1000;
/** Hour habits mean something only after this many logins. */
const MIN_LOGINS_FOR_HABITS = 10;
/** Share of past logins within an hour of this one below which the hour is unusual. */
const UNUSUAL_SHARE = 0.05;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The hour of day where the customer is: from the edge's time zone, else roughly from the longitude,
 * else unknown (no habit is learned or judged without it).
 */
export function localHour(edge: EdgeFacts, now: number): number | null {
  if (edge.timezone) {
    try {
      let format = formatters.get(edge.timezone);
      if (!format) {
        format = new Intl.DateTimeFormat("en-GB", { timeZone: edge.timezone, hour: "numeric", hourCycle: "h23" });
        formatters.set(edge.timezone, format);
      }
      const hour = Number(format.format(new Date(now)));
      if (Number.isInteger(hour) && hour >= 0 && hour < 24) return hour;
    } catch {
      // An unknown zone name: fall through to the longitude.
    }
  }
  if (edge.longitude !== null) return (((new Date(now).getUTCHours() + Math.round(edge.longitude / 15)) % 24) + 24) % 24;
  return null;
}

export interface BehaviourSignals {
  localHour: number | null;
  unusualHour: boolean;
  daysSinceLastLogin: number | null;
  dormant: boolean;
}

export function behaviourSignals(profile: RiskProfile, edge: EdgeFacts, now: number): { signals: BehaviourSignals; reasons: RiskReason[] } {
  const hour = localHour(edge, now);
  const total = profile.hours.reduce((sum, count) => sum + count, 0);
  let unusualHour = false;
  if (hour !== null && profile.logins >= MIN_LOGINS_FOR_HABITS && total > 0) {
    const near = [hour + 23, hour, hour + 1].reduce((sum, h) => sum + (profile.hours[h % 24] ?? 0), 0);
    unusualHour = near / total < UNUSUAL_SHARE;
  }
  const since = profile.last ? now - profile.last.at : null;
  const dormant = since !== null && since > DORMANT_MS;
  const reasons: RiskReason[] = [];
  if (unusualHour) reasons.push(reason("unusual_hour"));
  if (dormant) reasons.push(reason("dormant_account"));
  return { signals: { localHour: hour, unusualHour, daysSinceLastLogin: since === null ? null : Math.floor(since / 86_400_000), dormant }, reasons };
}

import { log } from "../../lib/log";
import { askGuard } from "../../storage/guards";
import type { Deps } from "../deps";

/** Shards of the service-wide counter: spreads the writes of an attack wave over several objects. */
export const GLOBAL_SHARDS = 8;
/** The rate is the average over this many minutes. */
const RATE_MINUTES = 5;
/** How long an isolate reuses the rates it read, so a login never waits for the shards. */
const CACHE_MS = 15_000;

export type GlobalEventKind = "login_failure" | "signup";

export interface GlobalRates {
  failuresPerMinute: number;
  signupsPerMinute: number;
}

let cached: { at: number; rates: GlobalRates } | null = null;
let refreshing: Promise<GlobalRates> | null = null;

/** Counts one event in a random shard, after the response (rotating IPs defeat per-IP counting; this does not). */
export function countGlobalEvent(deps: Pick<Deps, "guards" | "clock" | "defer">, kind: GlobalEventKind): void {
  const shard = Math.floor(Math.random() * GLOBAL_SHARDS);
  deps.defer(
    deps.guards
      .globalShard(shard)
      .countEvent(kind, deps.clock())
      .catch((error: unknown) => log("warn", "global rate count failed", { kind, error: String(error) })),
  );
}

/** Reads every shard now: the what-if endpoint and tests use this; logins use `globalRates`. */
export async function readGlobalRates(deps: Pick<Deps, "guards" | "clock">): Promise<GlobalRates> {
  const now = deps.clock();
  const shards = await askGuard(() =>
    Promise.all(
      Array.from({ length: GLOBAL_SHARDS }, (_, shard) => deps.guards.globalShard(shard).recentEvents(["login_failure", "signup"], RATE_MINUTES, now)),
    ),
  );
  const sum = (kind: GlobalEventKind) => shards.reduce((total, counts) => total + (counts[kind] ?? 0), 0);
  const rates = { failuresPerMinute: sum("login_failure") / RATE_MINUTES, signupsPerMinute: sum("signup") / RATE_MINUTES };
  cached = { at: now, rates };
  return rates;
}

/**
 * The service-wide rates as this isolate last read them, refreshed in the background when older than 15
 * seconds: a login's risk decision never adds a round trip for them. Zero until the first read returns.
 */
export function globalRates(deps: Pick<Deps, "guards" | "clock" | "defer">): GlobalRates {
  const now = deps.clock();
  if ((!cached || now - cached.at > CACHE_MS) && !refreshing) {
    refreshing = readGlobalRates(deps).finally(() => {
      refreshing = null;
    });
    deps.defer(refreshing.catch((error: unknown) => log("warn", "global rate read failed", { error: String(error) })));
  }
  return cached?.rates ?? { failuresPerMinute: 0, signupsPerMinute: 0 };
}

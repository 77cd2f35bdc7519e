import type { RiskMark } from "../../durable/risk-profile";
import { askGuard } from "../../storage/guards";
import type { Deps } from "../deps";

/**
 * Remembers in the account's `UserGuard` that something the risk engine weighs happened (a password
 * reset, a new factor, a denied push, a passkey whose counter went backwards); the next logins for a day
 * carry it as a reason.
 */
export async function markRisk(deps: Pick<Deps, "guards" | "clock">, userId: string, mark: RiskMark): Promise<void> {
  await askGuard(() => deps.guards.user(userId).markRisk(mark, deps.clock()));
}

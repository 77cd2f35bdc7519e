import { SCENARIOS } from "../scenarios";
import { type GuardPort, memoryGuards } from "./guards";
import { replay, type ScenarioResult } from "./runner";

/** Replays every journey, each with fresh guards (`memoryGuards` unless a factory is given). */
export async function replayAll(guardsFor: (scenarioId: string) => GuardPort = () => memoryGuards()): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) results.push(await replay(scenario, guardsFor(scenario.id)));
  return results;
}

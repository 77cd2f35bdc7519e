import { ATTACKS } from "./attacks";
import { EVERYDAY } from "./everyday";
import type { Scenario } from "./model";

/** Every replayable journey, legitimate ones first. */
export const SCENARIOS: Scenario[] = [...EVERYDAY, ...ATTACKS];

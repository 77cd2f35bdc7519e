import { describe, expect, it } from "vitest";
import riskDoc from "../../docs/risk.md?raw";
import { RISK_REASONS } from "../../src/services/risk/vocabulary";
import { normalizeMarkdown } from "./replay/report";

const doc = normalizeMarkdown(riskDoc);

/** Rows of the "Reason codes" table in docs/risk.md: |`code`|points|message| once normalised. */
function documentedReasons(document: string): Record<string, { points: number; message: string }> {
  const section = document.split(/^## /m).find((part) => part.startsWith("Reason codes"));
  if (!section) throw new Error("docs/risk.md has no 'Reason codes' section");
  const rows = [...section.matchAll(/^\|`([a-z_]+)`\|(-?\d+)\|(.+?)\|$/gm)];
  return Object.fromEntries(rows.map(([, code = "", points = "", message = ""]) => [code, { points: Number(points), message }]));
}

describe("docs/risk.md", () => {
  it("documents exactly the engine's reason codes, with their points and messages", () => {
    const expected = Object.fromEntries(Object.entries(RISK_REASONS).map(([code, entry]) => [code, { points: entry.points, message: entry.message }]));
    expect(documentedReasons(doc)).toEqual(expected);
  });

  it("documents the default thresholds the policy uses", async () => {
    const { DEFAULT_RISK_POLICY } = await import("../../src/services/risk/policy");
    expect(doc).toContain(`|\`step_up_at\`|${DEFAULT_RISK_POLICY.stepUpAt}|`);
    expect(doc).toContain(`|\`deny_at\`|${DEFAULT_RISK_POLICY.denyAt}|`);
    expect(doc).toContain(`|\`turnstile_at\`|${DEFAULT_RISK_POLICY.turnstileAt}|`);
    expect(doc).toContain(`|\`surge_failures_per_minute\`|${DEFAULT_RISK_POLICY.surge.failuresPerMinute}|`);
  });
});

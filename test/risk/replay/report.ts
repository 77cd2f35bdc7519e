import { type Expectation, meets, type Outcome } from "../scenarios/model";
import type { AttemptResult, ScenarioResult } from "./runner";

/** What the evaluation counts, over every non-warm-up attempt of every journey. */
export interface Rates {
  legitimateLogins: number;
  /** Legitimate logins with the right credentials that were asked for a second factor, refused or throttled. */
  legitimateChallenged: number;
  /** … of which the journey did not expect it. */
  legitimateChallengedUnexpected: number;
  legitimateDenied: number;
  legitimateThrottled: number;
  attackerLoginsWithRightCredentials: number;
  /** Attacker logins with the right credentials that were allowed without a second factor. */
  attackerAllowed: number;
  attempts: number;
  mismatches: number;
}

export function counted(result: ScenarioResult): AttemptResult[] {
  return result.results.filter((item) => !item.attempt.warmup);
}

/** The outcomes a journey is checked against: its expectations, or the recorded ones of a known gap. */
export function checkedExpectations(result: ScenarioResult): Expectation[] {
  return result.scenario.knownGap?.actual ?? counted(result).map((item) => item.attempt.expect);
}

export function ratesOf(results: ScenarioResult[]): Rates {
  const rates: Rates = {
    legitimateLogins: 0,
    legitimateChallenged: 0,
    legitimateChallengedUnexpected: 0,
    legitimateDenied: 0,
    legitimateThrottled: 0,
    attackerLoginsWithRightCredentials: 0,
    attackerAllowed: 0,
    attempts: 0,
    mismatches: 0,
  };
  for (const result of results) {
    for (const item of counted(result)) {
      const { attempt, outcome } = item;
      rates.attempts++;
      if (!meets(outcome, attempt.expect)) rates.mismatches++;
      if (attempt.credentials !== "right") continue;
      if (attempt.who === "legit") {
        rates.legitimateLogins++;
        if (outcome !== "allow") {
          rates.legitimateChallenged++;
          if (!meets(outcome, attempt.expect)) rates.legitimateChallengedUnexpected++;
        }
        if (outcome === "deny") rates.legitimateDenied++;
        if (outcome === "throttled") rates.legitimateThrottled++;
      } else {
        rates.attackerLoginsWithRightCredentials++;
        if (outcome === "allow") rates.attackerAllowed++;
      }
    }
  }
  return rates;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}% (${part}/${whole})`;
}

/** "allow → step_up → allow" for short journeys; counts ("failed ×969, deny ×16") for long ones. */
function sequence(values: readonly (Outcome | Expectation)[]): string {
  if (values.length <= 6) return values.join(" → ");
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ×${count}`).join(", ");
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** The evaluation section of docs/risk.md, generated from a replay (never edited by hand). */
export function renderReport(results: ScenarioResult[]): string {
  const rates = ratesOf(results);
  const lines = [
    `${results.length} journeys, ${rates.attempts} scored attempts (warm-up history not counted), default policy (step-up at 30, deny at 85), adaptive MFA.`,
    "",
    "| journey | who | expected | actual | ✓ |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const result of results) {
    const items = counted(result);
    const who = [...new Set(items.map((item) => item.attempt.who))].join(" + ");
    const expected = items.map((item) => item.attempt.expect);
    const actual = items.map((item) => item.outcome);
    const ok = items.every((item) => meets(item.outcome, item.attempt.expect));
    const mark = ok ? "✓" : result.scenario.knownGap ? "✗ known gap" : "✗";
    lines.push(`| ${cell(result.scenario.title)} (\`${result.scenario.id}\`) | ${who} | ${sequence(expected)} | ${sequence(actual)} | ${mark} |`);
  }
  lines.push(
    "",
    `- False-challenge rate (legitimate logins with the right credentials that were asked for a second factor, refused or throttled): **${percent(rates.legitimateChallenged, rates.legitimateLogins)}**; those the journeys did not expect: **${percent(rates.legitimateChallengedUnexpected, rates.legitimateLogins)}**.`,
    `- Legitimate logins refused: ${percent(rates.legitimateDenied, rates.legitimateLogins)}; throttled: ${percent(rates.legitimateThrottled, rates.legitimateLogins)}.`,
    `- Missed-attack rate (attacker logins with the right credentials that were allowed without a second factor): **${percent(rates.attackerAllowed, rates.attackerLoginsWithRightCredentials)}**.`,
    `- Attempts whose outcome differs from the expectation: ${rates.mismatches}.`,
  );
  const gaps = results.filter((result) => result.scenario.knownGap);
  if (gaps.length > 0) {
    lines.push("", "Known gaps (the engine does not yet do what the journey expects):", "");
    for (const result of gaps) lines.push(`- \`${result.scenario.id}\`: ${result.scenario.knownGap?.reason}`);
  }
  return `${lines.join("\n")}\n`;
}

export const REPORT_START = "<!-- risk-report:start (generated by `node scripts/risk-report.mjs`; do not edit) -->";
export const REPORT_END = "<!-- risk-report:end -->";

/**
 * Markdown with table cells trimmed and separator rows shortened: the formatter (biome) aligns table
 * columns, which must not count as a difference.
 */
export function normalizeMarkdown(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line.startsWith("|")
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-{3,}$/, "---"))
            .join("|")
        : line.trimEnd(),
    )
    .join("\n")
    .trim();
}

/** The generated part of a document, or null when its markers are missing. */
export function reportSection(document: string): string | null {
  const start = document.indexOf(REPORT_START);
  const end = document.indexOf(REPORT_END);
  if (start < 0 || end < start) return null;
  return document.slice(start + REPORT_START.length, end).replace(/^\n+/, "");
}

export function withReport(document: string, report: string): string {
  const start = document.indexOf(REPORT_START);
  const end = document.indexOf(REPORT_END);
  if (start < 0 || end < start) throw new Error("docs/risk.md has no risk-report markers");
  return `${document.slice(0, start + REPORT_START.length)}\n${report}${document.slice(end)}`;
}

#!/usr/bin/env node
import { execFileSync } from "node:child_process";
/**
 * Replays every journey of test/risk/scenarios through the real risk modules (engine, profile, login
 * backoff and source velocity, the service-wide counter) with a simulated clock, and writes the evaluation
 * table into docs/risk.md between its `risk-report` markers. `--check` only compares, and exits 1 when the
 * document is stale (the worker-tier test test/risk/evaluation.test.ts does the same on every test run).
 *
 *   node scripts/risk-report.mjs          # rewrite the table
 *   node scripts/risk-report.mjs --check  # fail if docs/risk.md differs
 *   node scripts/risk-report.mjs --json   # every attempt's outcome, score and reasons on stdout
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const docPath = `${root}docs/risk.md`;

const entry = `
import { replayAll } from "./test/risk/replay/replay-all";
import { normalizeMarkdown, renderReport, reportSection, withReport } from "./test/risk/replay/report";
export { normalizeMarkdown, replayAll, renderReport, reportSection, withReport };
`;
const bundle = await build({
  stdin: { contents: entry, resolveDir: root, loader: "ts" },
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
  logLevel: "error",
});
const url = `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`;
const { normalizeMarkdown, replayAll, renderReport, reportSection, withReport } = await import(url);

const results = await replayAll();
if (process.argv.includes("--json")) {
  const rows = results.flatMap((result) =>
    result.results.map((item) => ({
      journey: result.scenario.id,
      at: new Date(result.scenario.start + item.attempt.at).toISOString(),
      account: item.attempt.account,
      who: item.attempt.who,
      warmup: Boolean(item.attempt.warmup),
      expect: item.attempt.expect,
      outcome: item.outcome,
      score: item.score,
      reasons: item.reasons,
    })),
  );
  process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
  process.exit(0);
}
const report = renderReport(results);
const document = await readFile(docPath, "utf8");
if (process.argv.includes("--check")) {
  if (normalizeMarkdown(reportSection(document) ?? "") !== normalizeMarkdown(report)) {
    console.error("docs/risk.md's evaluation differs from the replay: run `node scripts/risk-report.mjs`");
    process.exit(1);
  }
  console.log("docs/risk.md is up to date");
} else {
  await writeFile(docPath, withReport(document, report));
  // The same layout `biome check` wants (aligned table columns), so the check stays clean.
  execFileSync(`${root}node_modules/.bin/biome`, ["format", "--write", docPath], { stdio: "ignore" });
  console.log(report);
}

// Risk engine benchmark. Run: npm run bench:risk (also part of npm run bench), or node bench/risk.mjs.
// Loopback only; about a minute (BENCH_RISK_SECONDS, default 6 s of login load per configuration).
//
// (a) CPU of one decision: `assessLogin` bundled with esbuild exactly as the worker runs it (V8, like workerd),
//     over four typical logins against a 30-login profile (bench/risk/decision-entry.ts); warm-up, then many
//     iterations; µs per decision of CPU time (process.cpuUsage) and of wall time.
// (b) Login throughput with the engine on and off, in one run: Gatehouse's deployable bundle on raw workerd
//     (bench/oidc/workerd.mjs: Durable Objects native, D1 and KV shims), twice, once with RISK_ENGINE=off;
//     password logins (POST /login, 303 to /account) at 8 connections, rounds interleaved on/off, best round
//     each. A password login is dominated by PBKDF2 (100,000 iterations); the engine adds the profile read
//     (replacing the known-device read it had before), the risk_events insert and the `risk.assessed` audit row.
// Servers on core 0, load generator on core 1 (taskset). Results: bench/results/risk.json, docs/performance.md.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { LOAD_CPU, load, prepareGatehouse, SERVER_CPU } from "./oidc/common.mjs";
import { httpRequest } from "./oidc/http.mjs";
import { buildBundle, hasTaskset, startGatehouse } from "./oidc/workerd.mjs";

process.env.WRANGLER_SEND_METRICS = "false";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SECONDS = Math.max(2, Number(process.env.BENCH_RISK_SECONDS ?? 6));
const ROUNDS = Math.min(3, Math.floor(SECONDS / 2));
const ROUND_SECONDS = Math.max(1, Math.round(SECONDS / ROUNDS));
const CONNECTIONS = 8;
const ITERATIONS = Number(process.env.BENCH_RISK_ITERATIONS ?? 200_000);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function decisionCost() {
  const bundle = await build({
    entryPoints: [join(ROOT, "bench", "risk", "decision-entry.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    minify: true,
    write: false,
    logLevel: "error",
  });
  const engine = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);
  const list = engine.contexts();
  const decisions = engine.decisions(list);
  engine.run(20_000, list); // warm-up: let V8 optimise the hot path first
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  const checksum = engine.run(ITERATIONS, list);
  const wallNs = Number(process.hrtime.bigint() - wallBefore);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    iterations: ITERATIONS,
    cpuMicrosPerDecision: round((cpu.user + cpu.system) / ITERATIONS, 3),
    wallMicrosPerDecision: round(wallNs / 1000 / ITERATIONS, 3),
    bundleBytes: bundle.outputFiles[0].contents.byteLength,
    decisions,
    checksum,
  };
}

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function loginRequest(url, email, password) {
  const csrf = randomBytes(32).toString("base64url").slice(0, 43);
  return {
    url: `${url}/login`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url, cookie: `__Host-gh_csrf=${csrf}` },
    body: new URLSearchParams({ csrf_token: csrf, email, password }).toString(),
  };
}

/** Successful logins the server completed (its audit log), in-flight ones at the end of a round included. */
async function completedLogins(gatehouse) {
  const [answer] = await gatehouse.sql([{ sql: "SELECT count(*) AS n FROM audit_events WHERE type = 'user.login' AND outcome = 'success'" }]);
  return answer?.results?.[0]?.n;
}

async function riskEventCount(gatehouse) {
  const [answer] = await gatehouse.sql([{ sql: "SELECT count(*) AS n FROM risk_events" }]);
  return answer?.results?.[0]?.n;
}

/** A Gatehouse with its schema and one account that can log in with a password (no second factor). */
async function gatehouseWith(work, bundleDir, name, riskEngine) {
  const pinning = hasTaskset();
  const gatehouse = await startGatehouse({
    dir: join(work, name),
    bundleDir,
    cpu: pinning ? SERVER_CPU : null,
    vars: {
      ENVIRONMENT: "test",
      RISK_ENGINE: riskEngine,
      UNVERIFIED_LOGIN: "allow",
      KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
      PASSWORD_PEPPER: randomBytes(32).toString("base64url"),
      ADMIN_API_TOKEN: randomBytes(32).toString("base64url"),
    },
  });
  await prepareGatehouse(gatehouse, { id: "bench-unused", secret: randomBytes(16).toString("hex") });
  const email = `risk-bench-${name}@example.com`;
  const password = "maple tortoise umbrella 42";
  const signup = loginRequest(gatehouse.url, email, password);
  const created = await httpRequest(`${gatehouse.url}/signup`, { method: "POST", headers: signup.headers, body: signup.body });
  check(created.status === 200, `${name}: sign-up answered ${created.status}`);
  const login = loginRequest(gatehouse.url, email, password);
  const first = await httpRequest(login.url, login);
  check(first.status === 303 && first.headers.location === "/account", `${name}: login answered ${first.status} ${first.headers.location}`);
  const stored = await riskEventCount(gatehouse);
  check(stored === (riskEngine === "on" ? 1 : 0), `${name}: ${stored} risk events after one login`);
  return { gatehouse, login };
}

async function throughput() {
  const work = mkdtempSync(join(tmpdir(), "gatehouse-risk-bench-"));
  try {
    const bundleDir = join(work, "bundle");
    buildBundle(bundleDir);
    const on = await gatehouseWith(work, bundleDir, "on", "on");
    const off = await gatehouseWith(work, bundleDir, "off", "off");
    const rounds = { on: [], off: [] };
    const logins = { on: 0, off: 0 };
    const loginsBefore = { on: await completedLogins(on.gatehouse), off: await completedLogins(off.gatehouse) };
    const callsBefore = { on: await on.gatehouse.storageCalls(), off: await off.gatehouse.storageCalls() };
    for (let r = 0; r < ROUNDS; r++) {
      for (const [key, target] of r % 2 === 0
        ? [
            ["on", on],
            ["off", off],
          ]
        : [
            ["off", off],
            ["on", on],
          ]) {
        const result = await load({ ...target.login, connections: CONNECTIONS, durationSeconds: ROUND_SECONDS }, LOAD_CPU);
        const redirects = result.statusCodes["303"] ?? 0;
        check(redirects === result.requests && result.errors === 0, `${key}: not every login answered 303: ${JSON.stringify(result.statusCodes)}`);
        rounds[key].push({ requestsPerSecond: round(result.requestsPerSecond), latency: result.latency });
        logins[key] += result.requests;
      }
    }
    // D1 and KV calls per login: exact counts from the shims, unlike the throughput, not disturbed by other load.
    const perLogin = async (key, target) => {
      const after = await target.gatehouse.storageCalls();
      const before = callsBefore[key];
      // Divided by the logins the server completed: autocannon does not count those still in flight when a round ends.
      const served = (await completedLogins(target.gatehouse)) - loginsBefore[key];
      const per = (value) => round(value / served, 2);
      return {
        d1Requests: per(after.d1Requests - before.d1Requests),
        d1Statements: per(after.d1Statements - before.d1Statements),
        kvOperations: per(after.kvOperations - before.kvOperations),
      };
    };
    const storagePerLogin = { on: await perLogin("on", on), off: await perLogin("off", off) };
    const best = (key) => Math.max(...rounds[key].map((item) => item.requestsPerSecond));
    const summary = {
      connections: CONNECTIONS,
      roundSeconds: ROUND_SECONDS,
      rounds,
      logins,
      storagePerLogin,
      bestOn: best("on"),
      bestOff: best("off"),
      ratioOnOff: round(best("on") / best("off"), 3),
      // Every measured login on "on" stored its decision; none on "off".
      riskEventsStored: { on: await riskEventCount(on.gatehouse), off: await riskEventCount(off.gatehouse) },
    };
    await on.gatehouse.stop();
    await off.gatehouse.stop();
    return summary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (hasTaskset()) spawnSync("taskset", ["-a", "-p", "-c", String(LOAD_CPU), String(process.pid)], { stdio: "ignore" });
const started = new Date();
const decision = await decisionCost();
console.log(`(a) one risk decision: ${decision.cpuMicrosPerDecision} µs CPU (${decision.wallMicrosPerDecision} µs wall), ${decision.iterations} iterations`);
for (const line of decision.decisions) console.log(`    ${line}`);
const logins = await throughput();
console.log(
  `(b) password logins/s at ${logins.connections} connections, best of ${ROUNDS} × ${logins.roundSeconds} s: engine on ${logins.bestOn}, off ${logins.bestOff}, ratio on/off ${logins.ratioOnOff}`,
);
console.log(`    storage calls per login: on ${JSON.stringify(logins.storagePerLogin.on)}, off ${JSON.stringify(logins.storagePerLogin.off)}`);
mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
writeFileSync(
  join(ROOT, "bench", "results", "risk.json"),
  `${JSON.stringify({ started: started.toISOString(), node: process.version, cpu: cpus()[0]?.model ?? "unknown", pinned: hasTaskset(), decision, logins }, null, 2)}\n`,
);

// OpenID Provider benchmark: Gatehouse against panva's oidc-provider and against a "hello" worker, the
// ceiling of the runtime Gatehouse runs in. Run: npm run bench (this runs last), or node bench/oidc.mjs.
// Loopback only; bounded: 4–5 minutes with the default 10 s per scenario (BENCH_OIDC_SECONDS=2 for a
// quick check, about 1½ minutes). Method and figures: docs/performance.md.
//
// - Gatehouse: the bundle `wrangler deploy --dry-run` builds, served by raw `workerd serve` (bench/oidc/workerd.mjs):
//   Durable Objects native, D1 and KV through small back ends in the same workerd process that count their calls.
// - hello: a worker that reads the body and answers a short JSON, in its own raw workerd, configured the same way.
// - oidc-provider: bench/oidc/oidc-provider-server.mjs on Node (ES256 JWT access tokens, one confidential client).
// Servers run on core 0, the load generator (autocannon, bench/oidc/load.mjs) on core 1 (taskset).
// Scenarios: discovery, JWKS and POST /token (client_credentials, client_secret_basic) at 50 connections and at 1.
// Each scenario gives each server a 1 s warm-up, then five measured rounds of 2 s, interleaved (Gatehouse,
// oidc-provider, hello, Gatehouse, ...); the best round counts, since other work on the machine only ever slows
// a round down (all rounds are kept in bench/results/oidc.json). Every response status is counted: a run with
// any non-2xx or error is flagged.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { LOAD_CPU, load, prepareGatehouse, SERVER_CPU, tokenRequest } from "./oidc/common.mjs";
import { httpJson } from "./oidc/http.mjs";
import { buildBundle, freePort, hasTaskset, pinned, startGatehouse, startHello, WORKERD } from "./oidc/workerd.mjs";

process.env.WRANGLER_SEND_METRICS = "false";
const SECONDS = Math.max(2, Number(process.env.BENCH_OIDC_SECONDS ?? 10));
const ROUNDS = Math.min(5, Math.floor(SECONDS));
const ROUND_SECONDS = Math.max(1, Math.round(SECONDS / ROUNDS));
const WARMUP_SECONDS = 1;
const CONNECTIONS = [50, 1];
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ (`getconf CLK_TCK`) on Linux x86-64
/** Gatehouse's caches (src/services/oidc/clients.ts, keys.ts): a client is re-read after 30 s, the key ring after 60 s. */
const CLIENT_CACHE_TTL_S = 30;
const KEY_RING_RELOAD_S = 60;

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const version = (name) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;

const children = [];
function cleanup() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

async function startOidcProvider(client) {
  const port = await freePort();
  const { command, args } = pinned(SERVER_CPU, process.execPath, [join(ROOT, "bench", "oidc", "oidc-provider-server.mjs")]);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", BENCH_OIDC_PROVIDER: JSON.stringify({ port, clientId: client.id, clientSecret: client.secret }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes('"ready":true')) resolve();
    });
    child.on("exit", (code) => reject(new Error(`oidc-provider exited (${code}): ${stderr}`)));
    setTimeout(() => reject(new Error(`oidc-provider did not start: ${stderr}`)), 30_000).unref();
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, warnings: () => stderr.trim().split("\n").filter(Boolean) };
}

function check(condition, message) {
  if (!condition) throw new Error(`verification failed: ${message}`);
}

/** Discovery, JWKS and /token answer correctly: the token verifies against the JWKS with the advertised issuer. */
async function verifyProvider(name, base, client) {
  const discovery = await httpJson(`${base}/.well-known/openid-configuration`);
  check(discovery.status === 200 && discovery.json, `${name} discovery answered ${discovery.status}`);
  const metadata = discovery.json;
  check(metadata.issuer === base, `${name} discovery issuer ${metadata.issuer}, expected ${base}`);
  check(metadata.token_endpoint === `${base}/token`, `${name} token_endpoint ${metadata.token_endpoint}`);
  check(metadata.grant_types_supported?.includes("client_credentials"), `${name} does not advertise client_credentials`);
  check(new URL(metadata.jwks_uri).origin === base, `${name} jwks_uri ${metadata.jwks_uri}`);
  const jwks = await httpJson(metadata.jwks_uri);
  check(jwks.status === 200 && Array.isArray(jwks.json?.keys), `${name} JWKS answered ${jwks.status}`);
  check(
    jwks.json.keys.every((key) => !("d" in key) && !("p" in key)),
    `${name} JWKS publishes private key material`,
  );
  check(
    jwks.json.keys.some((key) => key.alg === "ES256"),
    `${name} JWKS has no ES256 key`,
  );
  const token = await httpJson(metadata.token_endpoint, tokenRequest(client));
  check(token.status === 200 && typeof token.json?.access_token === "string", `${name} /token answered ${token.status}: ${token.body}`);
  check(token.json.token_type?.toLowerCase() === "bearer", `${name} token_type ${token.json.token_type}`);
  const header = decodeProtectedHeader(token.json.access_token);
  check(header.alg === "ES256" && header.typ === "at+jwt", `${name} access token header ${JSON.stringify(header)}`);
  const { payload } = await jwtVerify(token.json.access_token, createLocalJWKSet(jwks.json), { issuer: base, typ: "at+jwt", algorithms: ["ES256"] });
  check(payload.client_id === client.id && payload.scope === "api:read", `${name} access token claims ${JSON.stringify(payload)}`);
  const wrong = await httpJson(metadata.token_endpoint, tokenRequest(client, `${client.secret}x`));
  check(wrong.status === 401 && wrong.json?.error === "invalid_client", `${name} accepted a wrong client secret (${wrong.status})`);
  return {
    paths: { discovery: "/.well-known/openid-configuration", jwks: new URL(metadata.jwks_uri).pathname, token: new URL(metadata.token_endpoint).pathname },
    jwksKeys: jwks.json.keys.length,
    discoveryBytes: discovery.body.length,
    jwksBytes: jwks.body.length,
    tokenBytes: token.body.length,
    claims: Object.keys(payload).sort().join(" "),
  };
}

const fmt = (value, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–";

function table(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

async function main() {
  const started = Date.now();
  const loadBefore = loadAverage();
  const model = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  const pinning = hasTaskset();
  // The orchestrator itself (idle while a run goes) stays off the server's core.
  if (pinning) spawnSync("taskset", ["-a", "-p", "-c", String(LOAD_CPU), String(process.pid)], { stdio: "ignore" });
  const work = mkdtempSync(join(tmpdir(), "gatehouse-oidc-bench-"));
  const client = { id: "bench-service", secret: randomBytes(32).toString("base64url") };
  const servers = [];
  try {
    const bundleDir = join(work, "bundle");
    buildBundle(bundleDir);
    const gatehouse = await startGatehouse({
      dir: join(work, "gatehouse"),
      bundleDir,
      cpu: pinning ? SERVER_CPU : null,
      vars: {
        ENVIRONMENT: "test",
        KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
        PASSWORD_PEPPER: randomBytes(32).toString("base64url"),
        ADMIN_API_TOKEN: randomBytes(32).toString("base64url"),
      },
    });
    servers.push(gatehouse);
    await prepareGatehouse(gatehouse, client);
    const hello = await startHello({ dir: join(work, "hello"), cpu: pinning ? SERVER_CPU : null });
    servers.push(hello);
    const provider = await startOidcProvider(client);

    const verified = {
      gatehouse: await verifyProvider("Gatehouse", gatehouse.url, client),
      "oidc-provider": await verifyProvider("oidc-provider", provider.url, client),
    };
    for (const path of Object.values(verified.gatehouse.paths)) {
      const answer = await httpJson(`${hello.url}${path}`, path === "/token" ? tokenRequest(client) : {});
      check(answer.status === 200 && answer.json?.hello === "world", `hello answered ${answer.status} on ${path}`);
    }

    const targets = [
      { name: "Gatehouse", key: "gatehouse", url: gatehouse.url, pid: gatehouse.pid, paths: verified.gatehouse.paths },
      { name: "oidc-provider", key: "oidc-provider", url: provider.url, pid: provider.pid, paths: verified["oidc-provider"].paths },
      { name: "hello", key: "hello", url: hello.url, pid: hello.pid, paths: verified.gatehouse.paths },
    ];
    const endpoints = [
      { key: "discovery", label: "discovery", request: () => ({}) },
      { key: "jwks", label: "JWKS", request: () => ({}) },
      { key: "token", label: "POST /token", request: () => tokenRequest(client) },
    ];

    const results = [];
    const storage = [];
    const before = { ...(await gatehouse.storageCalls()), at: Date.now() };
    for (const endpoint of endpoints) {
      for (const connections of CONNECTIONS) {
        const rows = targets.map((target) => ({
          endpoint: endpoint.key,
          connections,
          server: target.key,
          rounds: [],
          failures: 0,
          failureTimes: [],
          codes: {},
        }));
        for (const [index, target] of targets.entries()) {
          const warm = await load({ url: `${target.url}${target.paths[endpoint.key]}`, connections, durationSeconds: WARMUP_SECONDS, ...endpoint.request() });
          rows[index].failures += warm.non2xx + warm.errors + warm.timeouts;
          rows[index].failureTimes.push(...warm.failureTimes);
        }
        for (let round = 0; round < ROUNDS; round++) {
          for (const [index, target] of targets.entries()) {
            const storageBefore = target.key === "gatehouse" ? await gatehouse.storageCalls() : null;
            const cpuBefore = cpuMs(target.pid);
            const result = await load({
              url: `${target.url}${target.paths[endpoint.key]}`,
              connections,
              durationSeconds: ROUND_SECONDS,
              ...endpoint.request(),
            });
            result.cpuUsPerRequest = ((cpuMs(target.pid) - cpuBefore) * 1000) / Math.max(1, result.requests);
            rows[index].rounds.push(result);
            rows[index].failures += result.non2xx + result.errors + result.timeouts;
            rows[index].failureTimes.push(...result.failureTimes);
            for (const [code, count] of Object.entries(result.statusCodes)) rows[index].codes[code] = (rows[index].codes[code] ?? 0) + count;
            if (storageBefore) {
              const storageAfter = await gatehouse.storageCalls();
              storage.push({
                endpoint: endpoint.key,
                connections,
                requests: result.requests,
                seconds: result.seconds,
                d1Requests: storageAfter.d1Requests - storageBefore.d1Requests,
                kvOperations: storageAfter.kvOperations - storageBefore.kvOperations,
              });
            }
          }
        }
        for (const row of rows) {
          row.best = row.rounds.reduce((best, round) => (round.requestsPerSecond > best.requestsPerSecond ? round : best));
          row.leastCpuUsPerRequest = Math.min(...row.rounds.map((round) => round.cpuUsPerRequest));
          results.push(row);
          const b = row.best;
          console.error(
            `  ${endpoint.label} c=${connections} ${row.server}: ${fmt(b.requestsPerSecond)} req/s (rounds ${row.rounds.map((r) => fmt(r.requestsPerSecond)).join(", ")}), p50 ${b.latency.p50} ms, p99 ${b.latency.p99} ms, ${fmt(b.cpuUsPerRequest)} µs CPU/req, failures ${row.failures}`,
          );
        }
      }
    }
    const after = { ...(await gatehouse.storageCalls()), at: Date.now() };
    const finalToken = await httpJson(`${gatehouse.url}/token`, tokenRequest(client));
    check(finalToken.status === 200, `Gatehouse /token after the runs answered ${finalToken.status}`);
    const durableObjects = gatehouse.durableObjectFiles();

    // Report.
    const find = (endpoint, connections, server) =>
      results.find((row) => row.endpoint === endpoint && row.connections === connections && row.server === server);
    const ratio = (endpoint, connections, other) =>
      find(endpoint, connections, "gatehouse").best.requestsPerSecond / find(endpoint, connections, other).best.requestsPerSecond;
    const cpuRatio = (endpoint, connections, other) =>
      find(endpoint, connections, other).leastCpuUsPerRequest / find(endpoint, connections, "gatehouse").leastCpuUsPerRequest;
    const lines = [];
    const say = (line = "") => {
      lines.push(line);
      console.log(line);
    };
    const loadAfter = loadAverage();
    say(
      `OIDC bench, ${new Date().toISOString()}, ${cpus().length} CPUs (${model}), ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}, workerd ${version("workerd")}, oidc-provider ${version("oidc-provider")}, autocannon ${version("autocannon")}`,
    );
    say(
      pinning
        ? `servers pinned to core ${SERVER_CPU}, load generator to core ${LOAD_CPU} (taskset); load average before ${loadBefore}, after ${loadAfter}`
        : `taskset not found: servers and load generator NOT pinned; load average before ${loadBefore}, after ${loadAfter}`,
    );
    say(
      "Gatehouse: its `wrangler deploy --dry-run` bundle on raw `workerd serve` (DOs native, D1/KV back ends in the same process); hello: raw workerd too; oidc-provider: Node",
    );
    say(
      `per scenario and server: ${WARMUP_SECONDS} s warm-up, then ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s; the best round is shown; CPU = server process CPU / requests`,
    );
    say();
    const header = ["endpoint", "conns", "server", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "non-2xx+errors"];
    const rows = results.map((row) => [
      endpoints.find((endpoint) => endpoint.key === row.endpoint).label,
      String(row.connections),
      row.server,
      fmt(row.best.requestsPerSecond),
      String(row.best.latency.p50),
      String(row.best.latency.p99),
      fmt(row.best.cpuUsPerRequest),
      String(row.failures),
    ]);
    say(table(header, rows));
    say();
    const ratioRows = [];
    for (const endpoint of endpoints) {
      for (const connections of CONNECTIONS) {
        ratioRows.push([
          endpoint.label,
          String(connections),
          fmt(ratio(endpoint.key, connections, "oidc-provider"), 2),
          fmt(cpuRatio(endpoint.key, connections, "oidc-provider"), 2),
          fmt(ratio(endpoint.key, connections, "hello"), 2),
          fmt(cpuRatio(endpoint.key, connections, "hello"), 2),
          fmt(find(endpoint.key, connections, "hello").best.requestsPerSecond / find(endpoint.key, connections, "oidc-provider").best.requestsPerSecond, 2),
        ]);
      }
    }
    say(
      table(
        ["endpoint", "conns", "Gatehouse/oidc-provider req/s", "same, by CPU/req", "Gatehouse/hello req/s", "same, by CPU/req", "hello/oidc-provider req/s"],
        ratioRows,
      ),
    );
    say("(by CPU/req: the other server's lowest CPU per request over Gatehouse's, i.e. the ratio of requests one core could serve;");
    say(" hello/oidc-provider: the most any worker in this runtime reaches against the peer on this machine)");
    say();

    const tokenStorage = storage.filter((entry) => entry.endpoint === "token");
    const tokenRequests = tokenStorage.reduce((sum, entry) => sum + entry.requests, 0);
    const tokenD1 = tokenStorage.reduce((sum, entry) => sum + entry.d1Requests, 0);
    const tokenKv = tokenStorage.reduce((sum, entry) => sum + entry.kvOperations, 0);
    const elapsedS = (after.at - before.at) / 1000;
    const allKv = after.kvOperations - before.kvOperations;
    // Every D1 statement the load phase caused, by SQL text: only the two cache refreshes are expected.
    const loadSql = Object.entries(after.d1BySql)
      .map(([sql, count]) => [sql, count - (before.d1BySql[sql] ?? 0)])
      .filter(([, count]) => count > 0);
    const sqlCount = (key) => loadSql.filter(([sql]) => sql === key).reduce((sum, [, count]) => sum + count, 0);
    const clientReads = sqlCount("select clients");
    const keyReads = sqlCount("select signing_keys");
    const otherSql = loadSql.filter(([sql]) => sql !== "select clients" && sql !== "select signing_keys");
    const clientWindows = Math.ceil(elapsedS / CLIENT_CACHE_TTL_S);
    const keyWindows = Math.ceil(elapsedS / KEY_RING_RELOAD_S);
    say(
      `storage during the measured /token rounds: ${fmt(tokenRequests)} tokens, ${tokenD1} D1 requests, ${tokenKv} KV operations; Durable Objects ever created: ${durableObjects.length}`,
    );
    say(
      `storage over all ${fmt(elapsedS)} s of load: ${clientReads} reads of clients (cache TTL ${CLIENT_CACHE_TTL_S} s: ${clientWindows} expiries), ${keyReads} of signing_keys (reload every ${KEY_RING_RELOAD_S} s: ${keyWindows}), ${otherSql.reduce((sum, [, count]) => sum + count, 0)} other D1 statements, ${allKv} KV operations`,
    );
    for (const [sql, count] of otherSql) say(`  unexpected D1 statement x${count}: ${sql}`);
    const failures = results.filter((row) => row.failures > 0);
    if (failures.length > 0)
      say(
        `WARNING: non-2xx responses or errors in ${failures.map((row) => `${row.endpoint} c=${row.connections} ${row.server} (${JSON.stringify(row.codes)})`).join("; ")}`,
      );
    else say("every response of every run was 2xx");
    // Gatehouse's failures, lined up with its D1 reads: which cache refresh (if any) they followed.
    const gatehouseFailureTimes = results.filter((row) => row.server === "gatehouse").flatMap((row) => row.failureTimes);
    if (gatehouseFailureTimes.length > 0) {
      const nearest = (key) => {
        const times = after.d1Times[key] ?? [];
        return Math.max(...gatehouseFailureTimes.map((at) => Math.min(...times.map((read) => Math.abs(at - read)))));
      };
      say(
        `Gatehouse's failures (${gatehouseFailureTimes.length} timed) were all within ${fmt(nearest("select signing_keys"))} ms of a key-ring read (select signing_keys) and within ${fmt(nearest("select clients"))} ms of a client read`,
      );
    }
    const errorMessages = new Map();
    for (const line of gatehouse.output().split("\n")) {
      if (line.trim() === "" || line.startsWith("stack:")) continue;
      const message = line.replace(/^.*?(Error: |error: )/, "").slice(0, 300);
      errorMessages.set(message, (errorMessages.get(message) ?? 0) + 1);
    }
    if (errorMessages.size > 0) {
      say("Gatehouse's error output:");
      for (const [message, count] of errorMessages) say(`  ${count} x ${message}`);
    }

    const tokenRatio = ratio("token", 50, "oidc-provider");
    const targetChecks = [
      ["POST /token >= 1.5x oidc-provider (50 conns)", tokenRatio >= 1.5, `${fmt(tokenRatio, 2)}x`],
      ["POST /token >= 50% of hello (50 conns)", ratio("token", 50, "hello") >= 0.5, `${fmt(ratio("token", 50, "hello") * 100)}%`],
      ["discovery >= 2x oidc-provider (50 conns)", ratio("discovery", 50, "oidc-provider") >= 2, `${fmt(ratio("discovery", 50, "oidc-provider"), 2)}x`],
      ["JWKS >= 2x oidc-provider (50 conns)", ratio("jwks", 50, "oidc-provider") >= 2, `${fmt(ratio("jwks", 50, "oidc-provider"), 2)}x`],
      [
        "no storage call on the client_credentials path once cached",
        // Only the periodic refreshes: at most one key-ring read per reload, one client read per in-flight request per expiry.
        tokenKv === 0 &&
          allKv === 0 &&
          durableObjects.length === 0 &&
          otherSql.length === 0 &&
          keyReads <= keyWindows + 1 &&
          clientReads <= (clientWindows + 1) * 50,
        `none in steady state: ${clientReads} client reads at ${clientWindows} cache expiries (each request in flight at an expiry reads it), ${keyReads} key-ring reads, nothing else in ${fmt(elapsedS)} s; ${tokenD1} D1 requests fell in the measured /token rounds (${fmt(tokenRequests)} tokens); KV ${allKv}; DOs ${durableObjects.length}`,
      ],
    ];
    for (const [name, met, value] of targetChecks) say(`target ${met ? "met   " : "MISSED"} ${name}: ${value}`);
    say(
      `Gatehouse JWKS ${verified.gatehouse.jwksKeys} keys (${verified.gatehouse.jwksBytes} B), oidc-provider ${verified["oidc-provider"].jwksKeys} keys (${verified["oidc-provider"].jwksBytes} B)`,
    );
    say(
      `discovery ${verified.gatehouse.discoveryBytes} B vs ${verified["oidc-provider"].discoveryBytes} B; token response ${verified.gatehouse.tokenBytes} B vs ${verified["oidc-provider"].tokenBytes} B`,
    );
    for (const warning of provider.warnings()) say(`oidc-provider said: ${warning}`);
    say(`total bench time ${fmt((Date.now() - started) / 1000)} s`);

    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    writeFileSync(
      join(ROOT, "bench", "results", "oidc.json"),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: {
            cpus: cpus().length,
            model,
            node: process.version,
            workerd: version("workerd"),
            workerdBinary: WORKERD.replace(ROOT, ""),
            pinned: pinning,
          },
          versions: { oidcProvider: version("oidc-provider"), autocannon: version("autocannon"), wrangler: version("wrangler") },
          loadBefore,
          loadAfter,
          seconds: SECONDS,
          rounds: ROUNDS,
          verified,
          results,
          storage,
          loadSql,
          durableObjects,
          targets: targetChecks.map(([name, met, value]) => ({ name, met, value })),
          gatehouseErrorOutput: gatehouse.output(),
          report: lines,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`token ratio vs oidc-provider: ${tokenRatio.toFixed(2)}`);
  } finally {
    for (const server of servers) await server.stop();
    cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

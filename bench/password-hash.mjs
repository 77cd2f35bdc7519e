// Password-hash benchmark: PBKDF2-SHA256 (100,000 iterations, WebCrypto, the production hasher) against
// Argon2id (m=19456 KiB, t=2, p=1, hash-wasm in WASM), measured inside workerd through Miniflare, with
// Node's own crypto as a reference. Run: npm run bench   (about a minute; loopback only, nothing remote)
//
// Method: each scheme gets a fresh Miniflare (its own workerd process). workerd's clocks only advance
// across I/O, so time is taken on the Node side: one hash per request, sequential requests, wall time per
// request with performance.now(); the median of an empty request is subtracted. The workerd process's
// CPU time (utime + stime from /proc) over the same requests gives CPU per hash, and VmHWM its peak
// resident memory. Nothing here is enforced locally: workerd has no CPU limit and no 128 MB limit.
import * as nodeCrypto from "node:crypto";
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { argon2id, argon2Verify } from "hash-wasm";
import { Miniflare } from "miniflare";

process.env.WRANGLER_SEND_METRICS = "false";
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50);
const WARMUP = 5;
const CONCURRENCY = 4;
const PEPPER = "bench-pepper-0123456789abcdef0123456789";
const PASSWORD = "correct horse battery staple";
const CPU_BUDGET_MS = 50;
const MEMORY_LIMIT_MB = 128;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` is 100 on Linux x86-64

const require = createRequire(import.meta.url);

/** hash-wasm embeds each binary as base64 in its bundle; take out the two Argon2id needs. */
function hashWasmBinaries() {
  const source = readFileSync(require.resolve("hash-wasm/dist/index.esm.js"), "utf8");
  const binary = (name) => {
    const match = new RegExp(`var name(\\$\\w*) = "${name}";\\s*var data\\1 = "([A-Za-z0-9+/=]+)";`).exec(source);
    if (!match) throw new Error(`hash-wasm: no embedded ${name} binary found`);
    return Buffer.from(match[2], "base64");
  };
  return { argon2: binary("argon2"), blake2b: binary("blake2b") };
}

async function bundleWorker() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./password-hash-worker.js", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    external: ["*.wasm"],
    write: false,
    logLevel: "error",
  });
  return result.outputFiles[0].text;
}

/** The workerd process Miniflare started (a child of this process). */
function findWorkerdPids() {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (Number(fields[1]) === process.pid && comm.startsWith("workerd")) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function memoryMb(pid, key) {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

async function withWorker(script, wasm, run) {
  const before = new Set(findWorkerdPids());
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: "/bench/worker.js", contents: script },
      { type: "CompiledWasm", path: "/bench/argon2.wasm", contents: wasm.argon2 },
      { type: "CompiledWasm", path: "/bench/blake2b.wasm", contents: wasm.blake2b },
    ],
    modulesRoot: "/bench",
    compatibilityDate: "2026-04-01",
    host: "127.0.0.1",
    bindings: {
      PEPPER,
      WASM_SHA256: JSON.stringify({
        argon2: createHash("sha256").update(wasm.argon2).digest("hex"),
        blake2b: createHash("sha256").update(wasm.blake2b).digest("hex"),
      }),
    },
  });
  try {
    await mf.ready;
    const pid = findWorkerdPids().find((candidate) => !before.has(candidate));
    if (!pid) throw new Error("could not find the workerd process Miniflare started");
    const call = async (path, params = {}) => {
      const url = new URL(`http://localhost${path}`);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      const response = await mf.dispatchFetch(url);
      return { status: response.status, body: await response.text() };
    };
    return await run({ call, pid });
  } finally {
    await mf.dispose();
  }
}

/** WARMUP then SAMPLES sequential requests to `path`, one hash each; wall time per request and workerd CPU per request. */
async function measure(call, pid, path) {
  for (let i = 0; i < WARMUP; i++) {
    const { status, body } = await call(path);
    if (status !== 200) return { error: body };
  }
  const wall = [];
  const cpuBefore = cpuMs(pid);
  let last = "";
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    const { status, body } = await call(path);
    wall.push(performance.now() - start);
    if (status !== 200) return { error: body };
    last = body;
  }
  const cpuPerRequest = (cpuMs(pid) - cpuBefore) / SAMPLES;
  return { wall, cpuPerRequest, peakMb: memoryMb(pid, "VmHWM"), rssAfterMb: memoryMb(pid, "VmRSS"), last };
}

/** CONCURRENCY requests at once, a few times over: the worst case for memory, as one isolate serves them all. */
async function concurrentPeak(call, pid, path) {
  for (let round = 0; round < 3; round++) {
    const results = await Promise.all(Array.from({ length: CONCURRENCY }, () => call(path)));
    const failed = results.find((result) => result.status !== 200);
    if (failed) return { error: failed.body };
  }
  return { peakMb: memoryMb(pid, "VmHWM") };
}

function nodeTimes(fn) {
  for (let i = 0; i < WARMUP; i++) fn();
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times;
}

async function nodeTimesAsync(fn) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

const nodePeppered = (password) => createHmac("sha256", PEPPER).update(password.normalize("NFKC")).digest();

/** The PHC string the production hasher writes, computed with Node's crypto: the worker must accept it. */
function nodePbkdf2Phc(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(nodePeppered(password), salt, 100_000, 32, "sha256");
  return `$pbkdf2-sha256$v=1$i=100000$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/** Node's own Argon2id where it exists (node:crypto.argon2Sync, Node 24.7+); on Node 20 the same hash-wasm binary in V8. */
const nodeArgon2Runtime = typeof nodeCrypto.argon2Sync === "function" ? "node:crypto" : "node (hash-wasm)";
const nodeArgon2 = async (password) =>
  typeof nodeCrypto.argon2Sync === "function"
    ? nodeCrypto.argon2Sync("argon2id", { message: nodePeppered(password), nonce: randomBytes(16), parallelism: 1, tagLength: 32, memory: 19_456, passes: 2 })
    : argon2id({
        password: nodePeppered(password),
        salt: randomBytes(16),
        parallelism: 1,
        iterations: 2,
        memorySize: 19_456,
        hashLength: 32,
        outputType: "encoded",
      });

const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

async function main() {
  const started = performance.now();
  const loadBefore = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const wasm = hashWasmBinaries();
  const script = await bundleWorker();
  const rows = [];
  const checks = [];
  const notes = [];

  // 1. Baseline: an empty request, to subtract the request overhead (Node → loopback → workerd → Node).
  const baseline = await withWorker(script, wasm, async ({ call, pid }) => {
    const result = await measure(call, pid, "/noop");
    return { ...result, idleMb: memoryMb(pid, "VmRSS") };
  });
  const overhead = quantile(baseline.wall, 0.5);
  const overheadCpu = baseline.cpuPerRequest;
  rows.push({
    scheme: "empty request (overhead)",
    runtime: "workerd",
    ...summary(baseline.wall, 0, baseline.cpuPerRequest, 0),
    peakMb: baseline.peakMb,
    concurrentPeakMb: Number.NaN,
  });

  // 2. PBKDF2-SHA256, 100,000 iterations, through the production hasher (HMAC pepper, then WebCrypto PBKDF2).
  const pbkdf2 = await withWorker(script, wasm, async ({ call, pid }) => {
    const result = await measure(call, pid, "/pbkdf2");
    const fromNode = await call("/pbkdf2-verify", { phc: nodePbkdf2Phc(PASSWORD) });
    const wrong = await call("/pbkdf2-verify", { phc: nodePbkdf2Phc(`${PASSWORD}!`) });
    checks.push(
      `PBKDF2: a hash made with Node's crypto verifies in workerd: ${JSON.parse(fromNode.body).valid}; one of another password: ${JSON.parse(wrong.body).valid}`,
    );
    checks.push(`PBKDF2: workerd writes ${result.last.replace(/\$[^$]+\$[^$]+$/, "$<salt>$<hash>")}`);
    const concurrent = await concurrentPeak(call, pid, "/pbkdf2");
    return { ...result, concurrentPeakMb: concurrent.peakMb };
  });
  rows.push({
    scheme: "PBKDF2-SHA256 100k",
    runtime: "workerd",
    ...summary(pbkdf2.wall, overhead, pbkdf2.cpuPerRequest, overheadCpu),
    peakMb: pbkdf2.peakMb,
    concurrentPeakMb: pbkdf2.concurrentPeakMb,
  });
  const nodePbkdf2 = nodeTimes(() => pbkdf2Sync(nodePeppered(PASSWORD), randomBytes(16), 100_000, 32, "sha256"));
  rows.push({ scheme: "PBKDF2-SHA256 100k", runtime: "node:crypto", ...summary(nodePbkdf2, 0) });

  // 3. Argon2id from hash-wasm as published: does it load in workerd at all?
  const asShipped = await withWorker(script, wasm, async ({ call }) => call("/argon2id-as-shipped"));
  const shippedLoads = asShipped.status === 200;
  notes.push(
    shippedLoads
      ? "hash-wasm as published loaded in workerd"
      : `hash-wasm as published does not load in workerd: ${asShipped.body} (it compiles its embedded binary with WebAssembly.compile(bytes); Workers allow only precompiled modules)`,
  );

  // 4. Argon2id m=19456 KiB t=2 p=1 with the binaries precompiled by the runtime (a .wasm module import).
  const argon = await withWorker(script, wasm, async ({ call, pid }) => {
    const result = await measure(call, pid, "/argon2id");
    if (result.error) return result;
    checks.push(`Argon2id: workerd's hash verifies with hash-wasm in Node: ${await argon2Verify({ password: nodePeppered(PASSWORD), hash: result.last })}`);
    checks.push(`Argon2id: workerd writes ${result.last.replace(/\$[^$]+\$[^$]+$/, "$<salt>$<hash>")}`);
    const concurrent = await concurrentPeak(call, pid, "/argon2id");
    return { ...result, concurrentPeakMb: concurrent.peakMb, concurrentError: concurrent.error };
  });
  if (!argon.error) {
    const perHash = (argon.peakMb - baseline.idleMb) / (WARMUP + SAMPLES);
    notes.push(
      `Argon2id: workerd's resident memory grew ${fmt(argon.peakMb - baseline.idleMb, 0)} MB over ${WARMUP + SAMPLES} sequential hashes (${fmt(perHash)} MB per hash): hash-wasm instantiates a new module with its own ${fmt((19_456 * 1024 + 1024) / 2 ** 20)} MiB memory per call, and workerd kept almost all of them`,
    );
  }
  if (argon.error) {
    notes.push(`Argon2id with precompiled modules failed in workerd: ${argon.error}`);
  } else {
    rows.push({
      scheme: "Argon2id 19 MiB t=2 p=1",
      runtime: "workerd",
      ...summary(argon.wall, overhead, argon.cpuPerRequest, overheadCpu),
      peakMb: argon.peakMb,
      concurrentPeakMb: argon.concurrentPeakMb,
    });
  }
  const nodeArgon = await nodeTimesAsync(() => nodeArgon2(PASSWORD));
  rows.push({ scheme: "Argon2id 19 MiB t=2 p=1", runtime: nodeArgon2Runtime, ...summary(nodeArgon, 0) });

  // 5. The password policy's one-time cost: the first check builds a Set of the 100,000 common passwords.
  const policy = await withWorker(script, wasm, async ({ call, pid }) => {
    // Warm the isolate and the request path first, so the first /policy request pays only for the set.
    const noop = await measure(call, pid, "/noop");
    const rssBefore = memoryMb(pid, "VmRSS");
    const cpuBefore = cpuMs(pid);
    let start = performance.now();
    const first = await call("/policy", { password: "qwertyuiop" });
    const firstMs = performance.now() - start - quantile(noop.wall, 0.5);
    const firstCpuMs = cpuMs(pid) - cpuBefore - noop.cpuPerRequest;
    const warm = [];
    for (let i = 0; i < SAMPLES; i++) {
      start = performance.now();
      await call("/policy", { password: `${PASSWORD} ${i}` });
      warm.push(performance.now() - start);
    }
    return {
      first: JSON.parse(first.body).problem,
      firstMs,
      firstCpuMs,
      warmMs: quantile(warm, 0.5) - quantile(noop.wall, 0.5),
      rssGrowthMb: memoryMb(pid, "VmRSS") - rssBefore,
    };
  });

  // Ratios against Node.
  const ratio = (runtimeRow, nodeRow) => (runtimeRow && nodeRow ? runtimeRow.medianMs / nodeRow.medianMs : Number.NaN);
  const find = (scheme, runtime) => rows.find((row) => row.scheme === scheme && row.runtime === runtime);
  for (const row of rows) {
    if (row.runtime === "workerd")
      row.vsNode = ratio(
        row,
        rows.find((other) => other.scheme === row.scheme && other.runtime !== "workerd"),
      );
  }

  const header = ["scheme", "runtime", "n", "median ms", "p95 ms", "CPU ms/hash", "peak RSS MB", `after ${CONCURRENCY}×${3} concurrent`, "vs Node"];
  const table = rows.map((row) => [
    row.scheme,
    row.runtime,
    String(row.n),
    fmt(row.medianMs),
    fmt(row.p95Ms),
    fmt(row.cpuMs),
    fmt(row.peakMb, 0),
    fmt(row.concurrentPeakMb, 0),
    Number.isFinite(row.vsNode) ? `${row.vsNode.toFixed(2)}×` : "",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((line) => line[column].length)));
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;

  const cpuInfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const loadAfter = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`password-hash bench, ${new Date().toISOString()}, ${cpus().length} CPUs (${model}), Node ${process.version}, workerd via miniflare`);
  console.log(`load average before ${loadBefore}, after ${loadAfter} (other work on the machine inflates wall times more than CPU times)`);
  console.log(
    `${SAMPLES} hashes per row after ${WARMUP} warm-up; workerd rows: median/p95 wall per request minus the empty-request median (${fmt(overhead, 2)} ms),`,
  );
  console.log(`CPU = workerd process CPU per request minus the empty request's (${fmt(overheadCpu, 2)} ms), 10 ms clock ticks;`);
  console.log(`peak RSS = workerd VmHWM after the sequential run, then after ${CONCURRENCY} concurrent requests 3 times over.`);
  console.log();
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const cells of table) console.log(line(cells));
  console.log();
  console.log(`workerd idle RSS ${fmt(baseline.idleMb, 0)} MB (process, not isolate: includes the runtime itself)`);
  console.log(
    `policy: first check builds the common-password set: ${fmt(policy.firstMs)} ms wall, ${fmt(policy.firstCpuMs)} ms CPU (answer for "qwertyuiop": ${policy.first}), later checks ${fmt(policy.warmMs, 2)} ms, RSS +${fmt(policy.rssGrowthMb, 0)} MB`,
  );
  for (const note of notes) console.log(`note: ${note}`);
  for (const check of checks) console.log(`check: ${check}`);

  // The choice: Argon2id if it runs in workerd within the CPU budget and the memory limit, else PBKDF2 at the cap.
  const argonRow = find("Argon2id 19 MiB t=2 p=1", "workerd");
  // The budget is CPU time, so workerd's own CPU per hash decides; the wall median stands in if /proc gave nothing.
  const argonCpu = !argonRow ? Number.POSITIVE_INFINITY : Number.isFinite(argonRow.cpuMs) ? argonRow.cpuMs : argonRow.medianMs;
  const argonFits =
    Boolean(argonRow) &&
    argonCpu < CPU_BUDGET_MS &&
    (argon.concurrentPeakMb ?? Number.POSITIVE_INFINITY) - baseline.idleMb < MEMORY_LIMIT_MB &&
    !argon.concurrentError;
  const reason = !argonRow
    ? "Argon2id does not run in workerd"
    : argonFits
      ? `Argon2id took ${fmt(argonCpu)} ms CPU per hash (< ${CPU_BUDGET_MS} ms) and peaked at ${fmt(argon.concurrentPeakMb, 0)} MB`
      : `Argon2id took ${fmt(argonCpu)} ms CPU per hash (budget ${CPU_BUDGET_MS} ms; wall median ${fmt(argonRow.medianMs)} ms), workerd peaked at ${fmt(argon.concurrentPeakMb - baseline.idleMb, 0)} MB above idle (limit ${MEMORY_LIMIT_MB} MB per isolate)`;
  console.log(`reason: ${reason}`);
  console.log(`total bench time ${fmt((performance.now() - started) / 1000)} s`);
  const choice = argonFits ? "argon2id-m19456-t2-p1" : "pbkdf2-sha256-100000";

  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(
    new URL("./results/password-hash.json", import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, model, node: process.version, loadBefore, loadAfter, samples: SAMPLES, overhead, overheadCpu, rows, policy, notes, checks, reason, choice }, null, 2)}\n`,
  );
  console.log(`choice: ${choice}`);
}

/** Median and p95 of `wall` minus `overhead`, and CPU per request minus `overheadCpu`. */
function summary(wall, overhead, cpuPerRequest = Number.NaN, overheadCpu = 0) {
  return {
    n: wall.length,
    medianMs: quantile(wall, 0.5) - overhead,
    p95Ms: quantile(wall, 0.95) - overhead,
    cpuMs: cpuPerRequest - overheadCpu,
  };
}

await main();

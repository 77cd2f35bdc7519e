// Where Gatehouse's time goes on the benchmarked paths: a V8 CPU profile of the Gatehouse isolate in raw
// workerd (through workerd's inspector) while autocannon loads one endpoint. A diagnostic companion of
// bench/oidc.mjs, not part of `npm run bench`:
//   node bench/oidc-profile.mjs [token|discovery|jwks ...]     (BENCH_OIDC_SECONDS, default 8 per endpoint)
// Prints self time by source module (the bundle's `// path` markers map each line back to src/ or
// node_modules/), the heaviest functions, and the inclusive time of Gatehouse's middleware and helpers.
// The sampling profiler itself costs throughput: compare shares, not req/s, with bench/oidc.mjs.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load, prepareGatehouse, SERVER_CPU, tokenRequest } from "./oidc/common.mjs";
import { httpJson } from "./oidc/http.mjs";
import { buildBundle, freePort, hasTaskset, startGatehouse } from "./oidc/workerd.mjs";

process.env.WRANGLER_SEND_METRICS = "false";
const SECONDS = Number(process.env.BENCH_OIDC_SECONDS ?? 8);
const CONNECTIONS = 50;
const PATHS = { token: "/token", discovery: "/.well-known/openid-configuration", jwks: "/jwks.json" };
const endpoints = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["token", "discovery"];
for (const endpoint of endpoints) if (!PATHS[endpoint]) throw new Error(`unknown endpoint ${endpoint}; use ${Object.keys(PATHS).join(", ")}`);
/** Functions whose inclusive time is worth a line: Gatehouse's middleware and the helpers on the hot paths. */
const WATCH = [
  "requestId",
  "securityHeaders",
  "requestContext",
  "openDatabase",
  "drizzle",
  "loadConfig",
  "negotiateLocale",
  "translator",
  "log",
  "handleTokenRequest",
  "authenticateClient",
  "sha256Hex",
  "timingSafeEqualStrings",
  "clientCredentialsGrant",
  "signAccessToken",
  "signJwt",
  "readOAuthForm",
  "noStoreJson",
  "discoveryJson",
  "getKeyRing",
  "header",
  "createResponseInstance",
  "dispatch",
];

const WebSocketClass = globalThis.WebSocket ?? (await import("ws")).default;

/** A minimal Chrome DevTools Protocol session over workerd's inspector. */
async function inspect(port) {
  const deadline = Date.now() + 10_000;
  let targets = [];
  while (targets.length === 0 && Date.now() < deadline) {
    targets = (await httpJson(`http://127.0.0.1:${port}/json/list`).catch(() => ({ json: [] }))).json ?? [];
    if (targets.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const target = targets.find((entry) => /gatehouse/.test(`${entry.title} ${entry.url} ${entry.id}`)) ?? targets[0];
  if (!target) throw new Error("workerd's inspector lists no isolate");
  const socket = new WebSocketClass(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(typeof event.data === "string" ? event.data : event.data.toString());
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(`${message.error.message}`));
      else resolve(message.result);
    }
  });
  return {
    title: target.title,
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => socket.close(),
  };
}

/** Line → module, from the `// src/...` and `// node_modules/...` markers esbuild writes into the bundle. */
function moduleIndex(bundle) {
  const starts = [];
  bundle.split("\n").forEach((line, index) => {
    const match = /^\/\/ ((?:src|node_modules)\/\S+|\.\.\/\S+)$/.exec(line);
    if (match) starts.push([index, match[1]]);
  });
  return (line) => {
    let low = 0;
    let high = starts.length - 1;
    let found = "(bundle prelude)";
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  };
}

function moduleGroup(path) {
  if (path.startsWith("node_modules/")) {
    const parts = path.split("/");
    return parts[1].startsWith("@") ? `${parts[1]}/${parts[2]}` : parts[1];
  }
  return path;
}

function analyse(profile, moduleOf) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const next = deltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + next);
  }
  const total = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
  const label = (node) => {
    const frame = node.callFrame;
    if (!frame.url) return { fn: frame.functionName || "(anonymous)", module: `(${frame.functionName || "native"})` };
    const module = frame.url.endsWith("index.js") ? moduleOf(frame.lineNumber) : frame.url;
    return { fn: frame.functionName || "(anonymous)", module };
  };
  const byModule = new Map();
  const byFunction = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const { fn, module } = label(node);
    const group = moduleGroup(module);
    byModule.set(group, (byModule.get(group) ?? 0) + us);
    const key = `${fn}  [${module}:${node.callFrame.lineNumber + 1}]`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  // Inclusive time of watched functions: each sample counts once per watched name on its stack.
  const inclusive = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const us = deltas[i + 1] ?? 0;
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id).callFrame.functionName;
      if (WATCH.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  const idle = (byModule.get("((idle))") ?? 0) + (byModule.get("(idle)") ?? 0);
  return { total, idle, byModule, byFunction, inclusive };
}

const pct = (value, total) => `${((value * 100) / total).toFixed(1).padStart(5)}%`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), "gatehouse-oidc-profile-"));
  const client = { id: "bench-service", secret: randomBytes(32).toString("base64url") };
  let gatehouse;
  try {
    const bundleDir = join(work, "bundle");
    buildBundle(bundleDir);
    const moduleOf = moduleIndex(readFileSync(join(bundleDir, "index.js"), "utf8"));
    const inspectorPort = await freePort();
    gatehouse = await startGatehouse({
      dir: join(work, "gatehouse"),
      bundleDir,
      cpu: hasTaskset() ? SERVER_CPU : null,
      inspectorPort,
      vars: {
        ENVIRONMENT: "test",
        KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
        PASSWORD_PEPPER: randomBytes(32).toString("base64url"),
        ADMIN_API_TOKEN: randomBytes(32).toString("base64url"),
      },
    });
    await prepareGatehouse(gatehouse, client);
    const token = await httpJson(`${gatehouse.url}/token`, tokenRequest(client));
    if (token.status !== 200) throw new Error(`/token answered ${token.status}: ${token.body}`);
    const session = await inspect(inspectorPort);
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: 100 });
    for (const endpoint of endpoints) {
      const spec = { url: `${gatehouse.url}${PATHS[endpoint]}`, connections: CONNECTIONS, ...(endpoint === "token" ? tokenRequest(client) : {}) };
      await load({ ...spec, durationSeconds: 2 });
      await session.send("Profiler.start");
      const result = await load({ ...spec, durationSeconds: SECONDS });
      const { profile } = await session.send("Profiler.stop");
      const { total, idle, byModule, byFunction, inclusive } = analyse(profile, moduleOf);
      const busy = total - idle;
      console.log(
        `\n== ${endpoint} (${PATHS[endpoint]}), ${CONNECTIONS} connections, ${SECONDS} s, profiler on: ${Math.round(result.requestsPerSecond)} req/s, ${result.non2xx + result.errors} failures`,
      );
      console.log(
        `isolate busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled; ${(busy / Math.max(1, result.requests)).toFixed(0)} µs of JS-thread time per request`,
      );
      console.log("self time by module (share of busy time):");
      for (const [module, us] of [...byModule]
        .filter(([module]) => !/^\(\(?idle\)?\)$/.test(module))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 18))
        console.log(`  ${pct(us, busy)}  ${module}`);
      console.log("heaviest functions (self time):");
      for (const [fn, us] of [...byFunction]
        .filter(([fn]) => !fn.startsWith("(idle)"))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20))
        console.log(`  ${pct(us, busy)}  ${fn}`);
      console.log("inclusive time (synchronous part; async functions count per resumption):");
      for (const [fn, us] of [...inclusive].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us, busy)}  ${fn}`);
    }
    session.close();
  } finally {
    await gatehouse?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

// What would make Gatehouse's hot paths faster, measured rather than guessed: the same source bundled again
// with one per-request cost taken out at a time (in a temporary bundle only; src/ is not touched), each
// variant in its own raw workerd on core 0, loaded from core 1, interleaved with the hello ceiling.
//   node bench/oidc-ablation.mjs        (BENCH_OIDC_SECONDS per round, default 4; 3 rounds; ~5 minutes)
// Variants (esbuild onLoad patches of single modules):
//   as-is         src/index.ts bundled by esbuild like wrangler does (a check that the bundler is not the difference)
//   no-log        src/lib/log.ts: log() does nothing (the JSON access-log line written on every request)
//   headers-once  hono's Context.header(): set headers on the finished response in place instead of copying the
//                 whole Response for each header (security-headers.ts and request-id.ts set ~10 after next())
//   all           both together
// and, for /token, "token floor" (bench/oidc/token-floor-worker.js): the least work the grant needs, no framework.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { load, prepareGatehouse, SERVER_CPU, tokenRequest } from "./oidc/common.mjs";
import { httpJson } from "./oidc/http.mjs";
import { COMPATIBILITY_DATE, hasTaskset, startGatehouse, startHello, startWorker } from "./oidc/workerd.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SECONDS = Number(process.env.BENCH_OIDC_SECONDS ?? 4);
const ROUNDS = 3;
const CONNECTIONS = 50;

const PATCHES = {
  "no-log": {
    "src/lib/log.ts": () => "export function log(_level: string, _message: string, _fields: Record<string, unknown> = {}): void {}\n",
  },
  "headers-once": {
    "node_modules/hono/dist/context.js": (source) =>
      source.replace(
        "if (this.finalized && !this.#res.bodyUsed) this.#res = createResponseInstance(this.#res.body, this.#res);",
        "if (this.finalized && !this.#res.bodyUsed) { try { const probe = this.#res.headers; if (value === void 0) probe.delete(name); else if (options?.append) probe.append(name, value); else probe.set(name, value); return; } catch { this.#res = createResponseInstance(this.#res.body, this.#res); } }",
      ),
  },
};
PATCHES.all = Object.assign({}, PATCHES["no-log"], PATCHES["headers-once"]);
const VARIANTS = ["as-is", "no-log", "headers-once", "all"];

async function bundle(variant, outdir) {
  const patches = PATCHES[variant] ?? {};
  const applied = new Set();
  const result = await build({
    entryPoints: [join(ROOT, "src", "index.ts")],
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    keepNames: true,
    tsconfig: join(ROOT, "tsconfig.json"),
    write: false,
    logLevel: "error",
    plugins: [
      {
        name: "ablation",
        setup(builder) {
          builder.onLoad({ filter: /\.(ts|tsx|js)$/ }, (args) => {
            const relative = args.path.slice(ROOT.length);
            const patch = patches[relative];
            if (!patch) return undefined;
            const source = readFileSync(args.path, "utf8");
            const patched = patch(source);
            if (patched === source) throw new Error(`${variant}: the patch of ${relative} no longer applies (the file changed)`);
            applied.add(relative);
            return { contents: patched, loader: relative.endsWith(".js") ? "js" : "ts" };
          });
        },
      },
    ],
  });
  for (const file of Object.keys(patches)) if (!applied.has(file)) throw new Error(`${variant}: ${file} was not part of the bundle`);
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(outdir, "index.js"), result.outputFiles[0].text);
}

function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "gatehouse-oidc-ablation-"));
  const client = { id: "bench-service", secret: randomBytes(32).toString("base64url") };
  const servers = [];
  try {
    const cpu = hasTaskset() ? SERVER_CPU : null;
    const vars = {
      ENVIRONMENT: "test",
      KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
      PASSWORD_PEPPER: randomBytes(32).toString("base64url"),
      ADMIN_API_TOKEN: randomBytes(32).toString("base64url"),
    };
    const targets = [];
    for (const variant of VARIANTS) {
      const bundleDir = join(work, `bundle-${variant}`);
      await bundle(variant, bundleDir);
      const server = await startGatehouse({ dir: join(work, variant), bundleDir, cpu, vars });
      servers.push(server);
      await prepareGatehouse(server, client);
      const token = await httpJson(`${server.url}/token`, tokenRequest(client));
      if (token.status !== 200) throw new Error(`${variant}: /token answered ${token.status}: ${token.body}`);
      targets.push({ name: variant, url: server.url, pid: server.pid });
    }
    const floor = await startWorker({
      dir: join(work, "floor"),
      cpu,
      file: "token-floor-worker.js",
      vars: { CLIENT_ID: client.id, CLIENT_SECRET: client.secret, ISSUER: "http://127.0.0.1" },
    });
    servers.push(floor);
    const floorToken = await httpJson(`${floor.url}/token`, tokenRequest(client));
    if (floorToken.status !== 200) throw new Error(`token floor answered ${floorToken.status}: ${floorToken.body}`);
    targets.push({ name: "token floor", url: floor.url, pid: floor.pid, only: "token" });
    const hello = await startHello({ dir: join(work, "hello"), cpu });
    servers.push(hello);
    targets.push({ name: "hello", url: hello.url, pid: hello.pid });

    const endpoints = [
      { key: "discovery", path: "/.well-known/openid-configuration", request: {} },
      { key: "token", path: "/token", request: tokenRequest(client) },
    ];
    const results = {};
    for (const endpoint of endpoints) {
      const loaded = targets.filter((target) => !target.only || target.only === endpoint.key);
      for (const target of loaded) await load({ url: `${target.url}${endpoint.path}`, connections: CONNECTIONS, durationSeconds: 1, ...endpoint.request });
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of loaded) {
          const before = cpuMs(target.pid);
          const result = await load({ url: `${target.url}${endpoint.path}`, connections: CONNECTIONS, durationSeconds: SECONDS, ...endpoint.request });
          const cpuUs = ((cpuMs(target.pid) - before) * 1000) / Math.max(1, result.requests);
          const key = `${endpoint.key}|${target.name}`;
          results[key] ??= [];
          results[key].push({ rps: result.requestsPerSecond, cpuUs, failures: result.non2xx + result.errors + result.timeouts });
        }
      }
    }
    console.log(
      `Ablation, ${CONNECTIONS} connections, best of ${ROUNDS} rounds of ${SECONDS} s, compatibility date ${COMPATIBILITY_DATE}, load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
    );
    console.log("| endpoint | variant | req/s (best) | CPU µs/req (lowest) | vs as-is | failures |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const endpoint of endpoints) {
      const best = (name) => Math.max(...results[`${endpoint.key}|${name}`].map((entry) => entry.rps));
      const leastCpu = (name) => Math.min(...results[`${endpoint.key}|${name}`].map((entry) => entry.cpuUs));
      for (const target of targets.filter((entry) => !entry.only || entry.only === endpoint.key)) {
        const failures = results[`${endpoint.key}|${target.name}`].reduce((sum, entry) => sum + entry.failures, 0);
        console.log(
          `| ${endpoint.key} | ${target.name} | ${Math.round(best(target.name))} | ${Math.round(leastCpu(target.name))} | ${(best(target.name) / best("as-is")).toFixed(2)}x | ${failures} |`,
        );
      }
    }
  } finally {
    for (const server of servers) await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

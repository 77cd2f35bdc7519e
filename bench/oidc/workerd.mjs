// Raw `workerd serve` for the OIDC benchmark: Gatehouse's deployable bundle (from `wrangler deploy --dry-run`)
// and the hello worker, each in its own workerd process with a capnp config written here. No Miniflare entry
// worker, no Node proxy on the request path: a socket of workerd goes straight to the worker.
//
// Gatehouse's bindings: Durable Objects are native (SQLite-backed, on disk in a temporary folder); D1 and KV
// do not exist outside Cloudflare, so two small services in the same process answer workerd's own D1 and KV
// bindings (d1-shim-worker.js, kv-shim-worker.js). Both count the calls they serve.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { httpJson, httpRequest } from "./http.mjs";

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HERE = fileURLToPath(new URL("./", import.meta.url));
/** The native workerd binary (not the Node launcher in node_modules/.bin), so its pid is the server's. */
export const WORKERD = require("workerd").default;
export const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1] ?? "2026-04-01";

/** `taskset -c <cpu>` in front of a command when taskset exists and a core is asked for. */
export function pinned(cpu, command, args) {
  return cpu !== null && hasTaskset() ? { command: "taskset", args: ["-c", String(cpu), command, ...args] } : { command, args };
}

let tasksetFound;
export function hasTaskset() {
  tasksetFound ??= spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0;
  return tasksetFound;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Gatehouse's bundle as `wrangler deploy` would upload it, written to `outdir` (index.js). */
export function buildBundle(outdir) {
  const wrangler = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
  const result = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    encoding: "utf8",
  });
  if (result.status !== 0 || !existsSync(join(outdir, "index.js"))) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
}

const text = (value) => JSON.stringify(String(value));

function gatehouseConfig({ port, d1Port, kvPort, vars }) {
  const bindings = [
    ...Object.entries(vars).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`),
    `(name = "DB", wrapped = (moduleName = "cloudflare-internal:d1-api", innerBindings = [(name = "fetcher", service = "d1")]))`,
    `(name = "SESSIONS", kvNamespace = "kv")`,
    `(name = "USER_GUARD", durableObjectNamespace = "UserGuard")`,
    `(name = "IP_GUARD", durableObjectNamespace = "IpGuard")`,
    `(name = "DELIVERY_QUEUE", durableObjectNamespace = "DeliveryQueue")`,
  ];
  const namespaces = ["UserGuard", "IpGuard", "DeliveryQueue"].map(
    (name) => `(className = ${text(name)}, uniqueKey = ${text(`gatehouse-${name}`)}, enableSql = true)`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "gatehouse", worker = (
      modules = [(name = "index.js", esModule = embed "gatehouse/index.js")],
      compatibilityDate = ${text(COMPATIBILITY_DATE)},
      bindings = [${bindings.join(", ")}],
      durableObjectNamespaces = [${namespaces.join(", ")}],
      durableObjectStorage = (localDisk = "do-storage"),
    )),
    (name = "do-storage", disk = (path = "do-storage", writable = true)),
    (name = "d1", worker = (
      modules = [(name = "d1-shim-worker.js", esModule = embed "d1-shim-worker.js")],
      compatibilityDate = ${text(COMPATIBILITY_DATE)},
      bindings = [(name = "DATABASE", durableObjectNamespace = "Database")],
      durableObjectNamespaces = [(className = "Database", uniqueKey = "bench-d1", enableSql = true, preventEviction = true)],
      durableObjectStorage = (localDisk = "d1-storage"),
    )),
    (name = "d1-storage", disk = (path = "d1-storage", writable = true)),
    (name = "kv", worker = (
      modules = [(name = "kv-shim-worker.js", esModule = embed "kv-shim-worker.js")],
      compatibilityDate = ${text(COMPATIBILITY_DATE)},
    )),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:${port}", http = (), service = "gatehouse"),
    (name = "d1-admin", address = "127.0.0.1:${d1Port}", http = (), service = "d1"),
    (name = "kv-admin", address = "127.0.0.1:${kvPort}", http = (), service = "kv"),
  ],
);
`;
}

function singleWorkerConfig({ port, file, vars }) {
  const bindings = Object.entries(vars).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "worker", worker = (
      modules = [(name = ${text(file)}, esModule = embed ${text(file)})],
      compatibilityDate = ${text(COMPATIBILITY_DATE)},
      bindings = [${bindings.join(", ")}],
    )),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "worker")],
);
`;
}

async function waitForHttp(url, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${output()}`);
    try {
      await httpRequest(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`workerd did not answer on ${url} within 30 s:\n${output()}`);
}

const spawned = new Set();
process.on("exit", () => {
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function spawnWorkerd(dir, cpu, inspectorPort) {
  // --experimental: localDisk Durable Object storage and the wrapped D1 module are experimental in workerd.
  const extra = inspectorPort ? [`--inspector-addr=127.0.0.1:${inspectorPort}`] : [];
  const { command, args } = pinned(cpu, WORKERD, ["serve", "--experimental", ...extra, join(dir, "config.capnp")]);
  // Gatehouse writes one JSON access-log line per request with console.log (workerd's stdout): dropped here.
  // Its error lines (console.error) go to stderr, kept (the last 20,000 characters) for the report.
  const child = spawn(command, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  spawned.add(child);
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  return { child, output: () => stderr };
}

function stopper(child) {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3000).unref();
    });
}

/**
 * Starts Gatehouse on raw workerd. `bundleDir` holds index.js from `buildBundle`; `dir` is a fresh temporary folder.
 * Returns its URL, the pid of the workerd process, and helpers for the D1 and KV back ends.
 */
export async function startGatehouse({ dir, bundleDir, vars, cpu, inspectorPort }) {
  mkdirSync(join(dir, "gatehouse"), { recursive: true });
  for (const sub of ["do-storage", "d1-storage"]) mkdirSync(join(dir, sub), { recursive: true });
  copyFileSync(join(bundleDir, "index.js"), join(dir, "gatehouse", "index.js"));
  for (const file of ["d1-shim-worker.js", "kv-shim-worker.js"]) copyFileSync(join(HERE, file), join(dir, file));
  const [port, d1Port, kvPort] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, "config.capnp"), gatehouseConfig({ port, d1Port, kvPort, vars: { ...vars, ISSUER_URL: vars.ISSUER_URL ?? url } }));
  const { child, output } = spawnWorkerd(dir, cpu, inspectorPort);
  await waitForHttp(`${url}/healthz`, child, output);
  const d1Url = `http://127.0.0.1:${d1Port}`;
  const kvUrl = `http://127.0.0.1:${kvPort}`;
  return {
    url,
    pid: child.pid,
    output,
    stop: stopper(child),
    /** Runs statements against the D1 database, in one transaction, as workerd's D1 binding would send them. */
    async sql(queries) {
      const response = await httpJson(`${d1Url}/execute`, { method: "POST", body: JSON.stringify(queries) });
      if (response.status !== 200) throw new Error(`D1: ${response.json?.error ?? response.body}`);
      return response.json;
    },
    /** D1 requests and KV operations served so far (the benchmark's own setup included). */
    async storageCalls() {
      const d1 = (await httpJson(`${d1Url}/__stats`)).json;
      const kv = (await httpJson(`${kvUrl}/__stats`)).json;
      return { d1Requests: d1.requests, d1Statements: d1.statements, d1BySql: d1.bySql, d1Times: d1.times, kvOperations: kv.operations };
    },
    /** Durable Object instances that were ever created: workerd keeps one `<id>.sqlite` per object (and a metadata.sqlite per class). */
    durableObjectFiles() {
      const root = join(dir, "do-storage");
      return readdirSync(root, { recursive: true }).filter((name) => String(name).endsWith(".sqlite") && !String(name).endsWith("metadata.sqlite"));
    },
  };
}

/** Starts a one-module worker from bench/oidc/ (`file`) on raw workerd, the same way as Gatehouse. */
export async function startWorker({ dir, cpu, file, vars = {} }) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(HERE, file), join(dir, file));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, "config.capnp"), singleWorkerConfig({ port, file, vars }));
  const { child, output } = spawnWorkerd(dir, cpu);
  await waitForHttp(url, child, output);
  return { url, pid: child.pid, output, stop: stopper(child) };
}

/** The hello worker: the ceiling of the runtime. */
export function startHello({ dir, cpu }) {
  return startWorker({ dir, cpu, file: "hello-worker.js" });
}

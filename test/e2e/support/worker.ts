import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("../../..", import.meta.url).pathname;
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const READY_TIMEOUT_MS = 90_000;

export interface RunningWorker {
  /** `http://localhost:<port>`: the issuer URL, and the only origin browsers may use. */
  baseUrl: string;
  /** `http://127.0.0.1:<port>`: where Node clients connect, so `localhost` never reaches some other `::1` listener. */
  connectUrl: string;
  adminToken: string;
  /** Temporary directory with this worker's state, env file and `wrangler.log`. */
  stateDir: string;
  stop(): Promise<void>;
}

/**
 * Freezes the code under test: `wrangler deploy --dry-run` bundles it once (the same build production
 * gets) into a temporary directory, next to copies of `wrangler.toml` and `migrations/`. Workers
 * started from it serve that bundle, so edits saved under `src/` during a run change nothing (plain
 * `wrangler dev` on the source would rebuild and reload mid-run). Returns the directory.
 */
export async function buildWorker(): Promise<string> {
  const buildDir = mkdtempSync(join(tmpdir(), "gatehouse-e2e-build-"));
  const logPath = join(buildDir, "build.log");
  try {
    await run([WRANGLER, "deploy", "--dry-run", "--outdir", join(buildDir, "bundle")], wranglerEnv(buildDir), logPath, ROOT);
    cpSync(join(ROOT, "wrangler.toml"), join(buildDir, "wrangler.toml"));
    cpSync(join(ROOT, "migrations"), join(buildDir, "migrations"), { recursive: true });
  } catch (error) {
    rmSync(buildDir, { recursive: true, force: true });
    throw error;
  }
  return buildDir;
}

/**
 * Starts the bundle in `buildDir` (from `buildWorker`) with `wrangler dev --no-bundle` on 127.0.0.1,
 * with its own fresh state directory: the D1 migrations are applied there first. Variables come from
 * a generated env file (`--env-file`, which also keeps a developer's `.dev.vars` out of the run);
 * secrets are random per start; everything else keeps the defaults of src/config.ts. `stop()` ends
 * wrangler and its workerd and deletes the state directory, unless `E2E_KEEP_STATE` is set.
 */
export async function startWorker(buildDir: string): Promise<RunningWorker> {
  const stateDir = mkdtempSync(join(tmpdir(), "gatehouse-e2e-"));
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const connectUrl = `http://127.0.0.1:${port}`;
  const adminToken = randomBytes(32).toString("base64url");
  const envFile = join(stateDir, "e2e.env");
  writeFileSync(
    envFile,
    [
      "ENVIRONMENT=development",
      `ISSUER_URL=${baseUrl}`,
      `KEY_ENCRYPTION_KEY=${randomBytes(32).toString("base64url")}`,
      `PASSWORD_PEPPER=${randomBytes(32).toString("base64url")}`,
      `ADMIN_API_TOKEN=${adminToken}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const env = wranglerEnv(stateDir);
  const persist = join(stateDir, "state");
  const logPath = join(stateDir, "wrangler.log");
  const config = join(buildDir, "wrangler.toml");
  const cleanUp = () => {
    if (process.env.E2E_KEEP_STATE) console.log(`e2e state and wrangler log kept in ${stateDir}`);
    else rmSync(stateDir, { recursive: true, force: true });
  };

  let worker: ChildProcess | undefined;
  try {
    await run([WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist, "--config", config], env, logPath, stateDir);

    const log = openSync(logPath, "a");
    const inspectorPort = await freePort();
    // Its own process group (`detached`), so stopping it also stops the workerd it starts.
    // It runs from the state directory, so wrangler's own `.wrangler/` files land there too.
    worker = spawn(
      WRANGLER,
      [
        "dev",
        join(buildDir, "bundle", "index.js"),
        "--no-bundle",
        "--config",
        config,
        // A name of its own: two dev sessions of one name (the shared worker and a test's own) would share
        // an entry in wrangler's local dev registry, and stopping one could disturb the other.
        "--name",
        `gatehouse-e2e-${port}`,
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--inspector-ip",
        "127.0.0.1",
        "--inspector-port",
        String(inspectorPort),
        "--persist-to",
        persist,
        "--env-file",
        envFile,
        "--show-interactive-dev-session=false",
        "--live-reload=false",
      ],
      { cwd: stateDir, env, stdio: ["ignore", log, log], detached: true },
    );
    closeSync(log);
    await waitForHealth(connectUrl, worker, logPath);
  } catch (error) {
    if (worker) await stopGroup(worker);
    cleanUp();
    throw error;
  }
  const running = worker;
  return {
    baseUrl,
    connectUrl,
    adminToken,
    stateDir,
    stop: async () => {
      await stopGroup(running);
      cleanUp();
    },
  };
}

/**
 * A private dev registry per worker and no config watching: wrangler dev otherwise watches the machine-wide
 * registry (every `wrangler dev` and test pool on the machine writes there) and reloads its runtime when it
 * changes; a request that arrives during the reload gets a 503 from wrangler's proxy (seen in full runs).
 */
function wranglerEnv(stateDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_REGISTRY_PATH: join(stateDir, "registry"),
    WRANGLER_CI_DISABLE_CONFIG_WATCHING: "true",
    CI: "true",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a wrangler command to completion (without a TTY `d1 migrations apply` does not prompt). */
function run(args: string[], env: NodeJS.ProcessEnv, logPath: string, cwd: string): Promise<void> {
  const [command = "", ...rest] = args;
  const log = openSync(logPath, "a");
  return new Promise((resolve, reject) => {
    const child = spawn(command, rest, { cwd, env, stdio: ["ignore", log, log] });
    closeSync(log);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.slice(1, 4).join(" ")} exited with ${code}\n${tail(logPath)}`))));
  });
}

async function waitForHealth(connectUrl: string, worker: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`wrangler dev exited with ${worker.exitCode}\n${tail(logPath)}`);
    try {
      const response = await fetch(`${connectUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer ${connectUrl}/healthz within ${READY_TIMEOUT_MS / 1000} s\n${tail(logPath)}`);
}

/** Stops wrangler and the workerd it started: SIGTERM to the process group, SIGKILL after 5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const group = -child.pid;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
  if (!stopped) signal("SIGKILL");
}

function tail(path: string): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-40).join("\n");
  } catch {
    return "";
  }
}

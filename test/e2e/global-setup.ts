import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** `http://localhost:<port>`: the issuer URL of the worker under test, and the only origin browsers may use. */
    baseUrl: string;
    adminToken: string;
  }
}

const ROOT = new URL("../..", import.meta.url).pathname;
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const READY_TIMEOUT_MS = 90_000;

/**
 * Starts the worker with `wrangler dev` on 127.0.0.1 for the whole run, on a fresh state directory
 * with the D1 migrations applied, and stops it afterwards. Variables come from a generated env file
 * (passed with `--env-file`, which also keeps a developer's `.dev.vars` out of the run); secrets are
 * random per run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stateDir = mkdtempSync(join(tmpdir(), "gatehouse-e2e-"));
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
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
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" };
  const persist = join(stateDir, "state");
  const logPath = join(stateDir, "wrangler.log");

  await run([WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], env, logPath);

  const log = openSync(logPath, "a");
  const inspectorPort = await freePort();
  const worker = spawn(
    WRANGLER,
    [
      "dev",
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
    { cwd: ROOT, env, stdio: ["ignore", log, log], detached: true },
  );
  closeSync(log);
  const stop = () => stopGroup(worker);
  try {
    await waitForHealth(baseUrl, worker, logPath);
  } catch (error) {
    await stop();
    throw error;
  }

  project.provide("baseUrl", baseUrl);
  project.provide("adminToken", adminToken);
  return async () => {
    await stop();
    if (process.env.E2E_KEEP_STATE) console.log(`e2e state and wrangler log kept in ${stateDir}`);
    else rmSync(stateDir, { recursive: true, force: true });
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

/** Runs a wrangler command to completion (no TTY: `d1 migrations apply` does not prompt then). */
function run(args: string[], env: NodeJS.ProcessEnv, logPath: string): Promise<void> {
  const [command = "", ...rest] = args;
  const log = openSync(logPath, "a");
  return new Promise((resolve, reject) => {
    const child = spawn(command, rest, { cwd: ROOT, env, stdio: ["ignore", log, log] });
    closeSync(log);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.slice(0, 4).join(" ")} exited with ${code}\n${tail(logPath)}`))));
  });
}

async function waitForHealth(baseUrl: string, worker: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`wrangler dev exited with ${worker.exitCode}\n${tail(logPath)}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer ${baseUrl}/healthz within ${READY_TIMEOUT_MS / 1000} s\n${tail(logPath)}`);
}

/** Stops wrangler and the workerd it started: they share the process group we created with `detached`. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const killed = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
  if (!killed) signal("SIGKILL");
}

function tail(path: string): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-40).join("\n");
  } catch {
    return "";
  }
}

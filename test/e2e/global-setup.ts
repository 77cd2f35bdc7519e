import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildWorker, startWorker } from "./support/worker";

declare module "vitest" {
  export interface ProvidedContext {
    /** `http://localhost:<port>`: the issuer URL of the worker under test, and the only origin browsers may use. */
    baseUrl: string;
    /** `http://127.0.0.1:<port>`: where Node clients connect. */
    connectUrl: string;
    adminToken: string;
    /** The frozen build (see `buildWorker`), for tests that need a worker of their own. */
    buildDir: string;
  }
}

/** Builds the worker once, starts one instance for the whole run, and cleans both up at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const buildDir = await buildWorker();
  const worker = await startWorker(buildDir).catch((error: unknown) => {
    rmSync(buildDir, { recursive: true, force: true });
    throw error;
  });
  project.provide("baseUrl", worker.baseUrl);
  project.provide("connectUrl", worker.connectUrl);
  project.provide("adminToken", worker.adminToken);
  project.provide("buildDir", buildDir);
  return async () => {
    await worker.stop();
    rmSync(buildDir, { recursive: true, force: true });
  };
}

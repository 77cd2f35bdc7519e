import { defineConfig } from "vitest/config";

/**
 * End-to-end tests: plain Node (not the workers pool) against a real `wrangler dev` that
 * `global-setup.ts` starts on loopback for the run, driven with `fetch` and headless Chromium.
 */
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/e2e/global-setup.ts"],
    // One worker is shared by every file; files run one after another so timings stay readable.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});

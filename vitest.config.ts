import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** Worker-tier tests: run inside workerd with the real D1, KV and Durable Object bindings from wrangler.toml. */
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ENVIRONMENT: "test",
          ISSUER_URL: "http://localhost:8787",
          KEY_ENCRYPTION_KEY: "test-key-encryption-key-0123456789abcdef",
          PASSWORD_PEPPER: "test-password-pepper-0123456789abcdef",
          ADMIN_API_TOKEN: "test-admin-token-0123456789abcdef0123",
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url))),
        },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    exclude: ["test/e2e/**"],
    setupFiles: ["./test/apply-migrations.ts"],
    testTimeout: 30_000,
  },
});

// Fails when a generated file is stale: the binding types (`npm run typegen`) or the D1
// migrations (`npm run db:generate`). Each generator runs into a scratch copy that is compared, then removed.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync } from "node:fs";

const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
let stale = false;
try {
  // Binding types; .dev.vars is ignored (--env-file /dev/null) so local secrets do not change the result.
  // Written beside the real file (then removed) because the generated imports are relative to it.
  const typesPath = ".worker-configuration.check.d.ts";
  execFileSync("npx", ["wrangler", "types", typesPath, "--include-runtime", "false", "--strict-vars", "false", "--env-file", "/dev/null"], {
    stdio: "ignore",
    env,
  });
  const body = (text) => text.split("\n").slice(2).join("\n");
  if (body(readFileSync(typesPath, "utf8")) !== body(readFileSync("worker-configuration.d.ts", "utf8"))) {
    console.error("worker-configuration.d.ts is stale: run `npm run typegen` and commit the result.");
    stale = true;
  }
  // Migrations: drizzle-kit writes a new file only when the schema has changes no migration captures.
  // drizzle-kit wants a relative --out, so the scratch copy lives under .wrangler/ (git-ignored).
  const migrations = ".wrangler/migrations-check";
  rmSync(migrations, { recursive: true, force: true });
  cpSync("migrations", migrations, { recursive: true });
  const before = readdirSync(migrations).length;
  execFileSync("npx", ["drizzle-kit", "generate", "--dialect", "sqlite", "--schema", "./src/storage/schema.ts", "--out", migrations, "--name", "pending"], {
    stdio: "ignore",
    env,
  });
  if (readdirSync(migrations).length !== before) {
    console.error("src/storage/schema.ts has changes without a migration: run `npm run db:generate` and commit the result.");
    stale = true;
  }
} finally {
  rmSync(".worker-configuration.check.d.ts", { force: true });
  rmSync(".wrangler/migrations-check", { recursive: true, force: true });
}
if (stale) process.exit(1);
console.log("generated files are up to date");

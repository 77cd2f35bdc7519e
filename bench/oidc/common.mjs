// Shared by bench/oidc.mjs, bench/oidc-profile.mjs and bench/oidc-ablation.mjs: Gatehouse's database set-up, the /token request, one load run.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pinned } from "./workerd.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;

/** One autocannon run in its own process on the load generator's core. */
export function load(spec, cpu = LOAD_CPU) {
  const { command, args } = pinned(cpu, process.execPath, [join(ROOT, "bench", "oidc", "load.mjs"), JSON.stringify(spec)]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`load generator failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)));
    });
  });
}

/** Gatehouse's schema (migrations/*.sql, drizzle-kit output) and one confidential client, straight into D1. */
export async function prepareGatehouse(gatehouse, client) {
  const dir = join(ROOT, "migrations");
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort()) {
    await gatehouse.sql(
      readFileSync(join(dir, file), "utf8")
        .split("--> statement-breakpoint")
        .map((sql) => ({ sql })),
    );
  }
  // The row shape of test/helpers/clients.ts: wire-named metadata as the admin API stores it, SHA-256 hex of the secret.
  const metadata = {
    client_name: "Benchmark service",
    redirect_uris: [],
    grant_types: ["client_credentials"],
    token_endpoint_auth_method: "client_secret_basic",
    scope: "api:read",
  };
  const now = Date.now();
  await gatehouse.sql([
    {
      sql: "INSERT INTO clients (client_id, secret_hash, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
      params: [client.id, createHash("sha256").update(client.secret).digest("hex"), JSON.stringify(metadata), now, now],
    },
  ]);
}

export function tokenRequest(client, secret = client.secret) {
  return {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(secret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials&scope=api%3Aread",
  };
}

// `npm start` runs this before `wrangler dev`: creates .dev.vars with fresh development secrets
// (never deployed), applies the D1 migrations to the local database and seeds a demo account.
// Idempotent: run it as often as you like.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes, webcrypto } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const ISSUER = "http://localhost:8787";
const DEMO_EMAIL = "demo@example.com";
const DEMO_PASSWORD = "gatehouse demo passphrase";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

function secret() {
  return randomBytes(32).toString("base64url");
}

if (!existsSync(".dev.vars")) {
  writeFileSync(
    ".dev.vars",
    [
      "# Local development only (wrangler dev reads this; deploys never do).",
      "ENVIRONMENT=development",
      `ISSUER_URL=${ISSUER}`,
      `KEY_ENCRYPTION_KEY=${secret()}`,
      `PASSWORD_PEPPER=${secret()}`,
      `ADMIN_API_TOKEN=${secret()}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  console.log("created .dev.vars with fresh development secrets");
}
// The demo relying party's secret (added to an existing .dev.vars too).
if (!readFileSync(".dev.vars", "utf8").includes("DEMO_CLIENT_SECRET=")) {
  writeFileSync(".dev.vars", `${readFileSync(".dev.vars", "utf8").trimEnd()}\nDEMO_CLIENT_SECRET=${secret()}\n`);
}
const vars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .filter((line) => line.includes("=") && !line.startsWith("#"))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);

execFileSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"], { stdio: ["ignore", "inherit", "inherit"], env });

// The demo account, hashed exactly like src/services/password-hasher.ts (HMAC pepper, then PBKDF2-SHA256 100k).
async function hashPassword(password, pepper) {
  const subtle = webcrypto.subtle;
  const enc = new TextEncoder();
  const pepperKey = await subtle.importKey("raw", enc.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const peppered = await subtle.sign("HMAC", pepperKey, enc.encode(password.normalize("NFKC")));
  const key = await subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
  const salt = randomBytes(16);
  const hash = Buffer.from(await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 100_000 }, key, 256));
  return `$pbkdf2-sha256$v=1$i=100000$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

const now = Date.now();
const hash = await hashPassword(DEMO_PASSWORD, vars.PASSWORD_PEPPER);
const sql = `INSERT INTO users (id, email, email_verified, name, password_hash, status, locale, created_at, updated_at, password_changed_at)
VALUES ('00000000-0000-4000-8000-000000000001', '${DEMO_EMAIL}', 1, 'Demo Customer', '${hash}', 'active', 'en', ${now}, ${now}, ${now})
ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, status = 'active';`;
execFileSync("npx", ["wrangler", "d1", "execute", "DB", "--local", "--command", sql], { stdio: ["ignore", "ignore", "inherit"], env });

// The demo relying party at /demo: a first-party confidential client of this Gatehouse (see src/routes/demo.tsx).
const demoMetadata = {
  client_name: "Gatehouse demo app",
  redirect_uris: [`${ISSUER}/demo/callback`],
  post_logout_redirect_uris: [`${ISSUER}/demo/logged-out`],
  grant_types: ["authorization_code", "refresh_token"],
  token_endpoint_auth_method: "client_secret_basic",
  scope: "openid profile email offline_access",
  first_party: true,
  id_token_signed_response_alg: "RS256",
};
const secretHash = createHash("sha256").update(vars.DEMO_CLIENT_SECRET).digest("hex");
const metadataSql = JSON.stringify(demoMetadata).replaceAll("'", "''");
const clientSql = `INSERT INTO clients (client_id, secret_hash, metadata, created_at, updated_at)
VALUES ('gatehouse-demo', '${secretHash}', '${metadataSql}', ${now}, ${now})
ON CONFLICT(client_id) DO UPDATE SET secret_hash = excluded.secret_hash, metadata = excluded.metadata, updated_at = excluded.updated_at;`;
execFileSync("npx", ["wrangler", "d1", "execute", "DB", "--local", "--command", clientSql], { stdio: ["ignore", "ignore", "inherit"], env });

console.log(`
Gatehouse (development) is starting on ${ISSUER}
  Demo app (OIDC)    ${ISSUER}/demo      log in through Gatehouse as a relying party would
  OpenID discovery   ${ISSUER}/.well-known/openid-configuration
  Sign up            ${ISSUER}/signup
  Log in             ${ISSUER}/login     demo account: ${DEMO_EMAIL} / ${DEMO_PASSWORD}
  Your account       ${ISSUER}/account
  Development outbox ${ISSUER}/dev/outbox (every email lands here)
  Admin API          ${ISSUER}/admin/v1/openapi.json  (Authorization: Bearer <ADMIN_API_TOKEN from .dev.vars>)
  Health             ${ISSUER}/healthz
`);

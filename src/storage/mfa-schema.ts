import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./schema";

/**
 * Passkeys (WebAuthn credentials). `id` is the credential ID (base64url, at most 1,023 bytes decoded);
 * the public key is the COSE key as base64url. `signCount` only moves forward; a regression is kept as a warning.
 */
export const webauthnCredentials = sqliteTable(
  "webauthn_credentials",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    publicKey: text("public_key").notNull(),
    signCount: integer("sign_count").notNull().default(0),
    /** JSON array of AuthenticatorTransport values the browser reported. */
    transports: text("transports", { mode: "json" }).$type<string[]>(),
    /** `singleDevice` (device-bound) or `multiDevice` (synced). */
    deviceType: text("device_type", { enum: ["singleDevice", "multiDevice"] }).notNull(),
    backedUp: integer("backed_up", { mode: "boolean" }).notNull().default(false),
    aaguid: text("aaguid"),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    /** Set when an assertion came with a counter lower than the stored one (possible clone). */
    counterRegressedAt: integer("counter_regressed_at"),
  },
  (table) => [index("webauthn_credentials_user").on(table.userId)],
);

/**
 * WebAuthn challenges, keyed by the challenge itself (discoverable logins have no user yet).
 * Single use: taken with one `DELETE … RETURNING`, so two parallel uses cannot both succeed.
 */
export const webauthnChallenges = sqliteTable(
  "webauthn_challenges",
  {
    challenge: text("challenge").primaryKey(),
    purpose: text("purpose", { enum: ["register", "authenticate", "second_factor", "signup"] }).notNull(),
    /** The user for registration and second-factor ceremonies; null for discoverable login. */
    userId: text("user_id"),
    /** For passwordless sign-up: the pending account's details (JSON). */
    context: text("context", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("webauthn_challenges_expires").on(table.expiresAt)],
);

/** Authenticator-app secrets (RFC 6238), AES-GCM encrypted under KEY_ENCRYPTION_KEY. One per user. */
export const totpFactors = sqliteTable("totp_factors", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  encryptedSecret: text("encrypted_secret").notNull(),
  /** Null until the first code confirms the enrolment; an unconfirmed secret is never accepted at login. */
  confirmedAt: integer("confirmed_at"),
  /** The last accepted 30-second step: a code is accepted once only (replay protection). */
  lastUsedStep: integer("last_used_step"),
  createdAt: integer("created_at").notNull(),
});

/** Single-use recovery codes: SHA-256 of each code (high entropy, so no slow KDF is needed). */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    usedAt: integer("used_at"),
  },
  (table) => [index("recovery_codes_user").on(table.userId)],
);

/**
 * One-time login secrets sent by email or SMS: magic links, email and SMS codes, phone verification.
 * Only hashes are stored; `browserHash` binds a magic link to the browser that asked for it.
 */
export const oneTimeCodes = sqliteTable(
  "one_time_codes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    purpose: text("purpose", { enum: ["login", "second_factor", "verify_phone", "magic_link"] }).notNull(),
    /** The canonical email address or E.164 number the secret went to. */
    destination: text("destination").notNull(),
    /** SHA-256 of the link token (magic links); null for code-only secrets. */
    tokenHash: text("token_hash"),
    /** HMAC-SHA-256 of the code, keyed by a server secret. */
    codeHash: text("code_hash").notNull(),
    /** SHA-256 of the random value in the requesting browser's cookie (magic links). */
    browserHash: text("browser_hash"),
    /** The app the login was for, resolved when a magic link was issued: its pages in another browser wear that app's branding. */
    clientId: text("client_id"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    consumedAt: integer("consumed_at"),
  },
  (table) => [uniqueIndex("one_time_codes_token_hash").on(table.tokenHash), index("one_time_codes_user_purpose").on(table.userId, table.purpose)],
);

/** Browsers and devices enrolled for push approvals (Web Push subscriptions, RFC 8030/8291). */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    /** The subscription's P-256 public key and auth secret (base64url), needed to encrypt payloads. */
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (table) => [index("push_subscriptions_user").on(table.userId), uniqueIndex("push_subscriptions_endpoint").on(table.endpoint)],
);

/** Push approval requests: the number to match, where the login came from, and the answer. */
export const pushApprovals = sqliteTable(
  "push_approvals",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The pending login this approval completes. */
    pendingLoginId: text("pending_login_id").notNull(),
    /** SHA-256 of the secret in the approval link the notification carries. */
    tokenHash: text("token_hash").notNull(),
    /** The number shown on the login screen, and decoys, as JSON: the customer must pick the right one. */
    matchNumber: integer("match_number").notNull(),
    choices: text("choices", { mode: "json" }).$type<number[]>().notNull(),
    /** Where and on what the login was attempted, for the approval page. */
    context: text("context", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ["pending", "approved", "denied", "consumed"] })
      .notNull()
      .default("pending"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    answeredAt: integer("answered_at"),
  },
  (table) => [uniqueIndex("push_approvals_token_hash").on(table.tokenHash), index("push_approvals_user").on(table.userId)],
);

/** Operator settings that change at runtime (e.g. `mfa` → `{"policy": "optional"}`), one JSON value per key. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type WebauthnCredentialRow = typeof webauthnCredentials.$inferSelect;
export type WebauthnChallengeRow = typeof webauthnChallenges.$inferSelect;
export type TotpFactorRow = typeof totpFactors.$inferSelect;
export type RecoveryCodeRow = typeof recoveryCodes.$inferSelect;
export type OneTimeCodeRow = typeof oneTimeCodes.$inferSelect;
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type PushApprovalRow = typeof pushApprovals.$inferSelect;
export type SettingRow = typeof settings.$inferSelect;

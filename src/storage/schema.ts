import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Accounts. `email` is the canonical address (see lib/email.ts) and unique, so parallel sign-ups create one row. */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    name: text("name"),
    /** PHC string (see services/password-hasher.ts); null for accounts without a password. */
    passwordHash: text("password_hash"),
    status: text("status", { enum: ["active", "disabled"] })
      .notNull()
      .default("active"),
    locale: text("locale"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    passwordChangedAt: integer("password_changed_at"),
    /** E.164 phone number (validated with libphonenumber-js); verified by an SMS code before it is used. */
    phone: text("phone"),
    phoneVerified: integer("phone_verified", { mode: "boolean" }).notNull().default(false),
    /** The second factor offered first at login: `passkey`, `totp`, `email`, `sms` or `push`. */
    preferredFactor: text("preferred_factor"),
    /** When a factor was last added: a recently added factor is a risk signal, removal needs a fresh login. */
    factorsChangedAt: integer("factors_changed_at"),
  },
  (table) => [uniqueIndex("users_email_unique").on(table.email), index("users_created_at").on(table.createdAt)],
);

/**
 * Single-use secrets sent by email: verification links and codes, password-reset links, email-change links.
 * Only hashes are stored. A newer token of the same purpose supersedes older ones (they are marked consumed).
 */
export const emailTokens = sqliteTable(
  "email_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["verify_email", "reset_password", "change_email"] }).notNull(),
    /** SHA-256 of the link token (256 random bits). */
    tokenHash: text("token_hash").notNull(),
    /** HMAC-SHA-256 of the 6-digit code, keyed by a server secret; null where no code is offered. */
    codeHash: text("code_hash"),
    /** For `change_email`: the canonical new address. */
    newEmail: text("new_email"),
    /** The journey the link continues (services/link-journey.ts): a same-site path, e.g. `/authorize?interaction=…`. */
    returnTo: text("return_to"),
    /** The app that journey serves, resolved when the link was issued: the link's pages and emails wear its branding. */
    clientId: text("client_id"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    consumedAt: integer("consumed_at"),
  },
  (table) => [uniqueIndex("email_tokens_token_hash").on(table.tokenHash), index("email_tokens_user_purpose").on(table.userId, table.purpose)],
);

/** Append-only security log (UPDATE and DELETE are refused by triggers in the migrations). */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    occurredAt: integer("occurred_at").notNull(),
    type: text("type").notNull(),
    outcome: text("outcome", { enum: ["success", "failure"] }).notNull(),
    actorType: text("actor_type", { enum: ["user", "admin", "system", "anonymous"] }).notNull(),
    actorId: text("actor_id"),
    /** The account the event is about; kept after the account is deleted. */
    userId: text("user_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (table) => [index("audit_events_occurred_at").on(table.occurredAt), index("audit_events_user").on(table.userId, table.occurredAt)],
);

/** Development outbox: every message the development sender "delivers". Empty in production. */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: text("id").primaryKey(),
    channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject"),
    text: text("text").notNull(),
    html: text("html"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("outbox_to_created").on(table.toAddress, table.createdAt)],
);

export type UserRow = typeof users.$inferSelect;
export type EmailTokenRow = typeof emailTokens.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type OutboxMessageRow = typeof outboxMessages.$inferSelect;
export * from "./branding-schema";
export * from "./federation-schema";
export * from "./federation-sync-schema";
export * from "./mfa-schema";
export * from "./oidc-schema";
export * from "./profile-schema-tables";
export * from "./risk-schema";
export * from "./signup-schema";

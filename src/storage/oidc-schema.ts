import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./schema";

/** OAuth clients (RFC 7591 metadata). The secret is stored as a SHA-256 hash: it has 256 random bits. */
export const clients = sqliteTable("clients", {
  clientId: text("client_id").primaryKey(),
  secretHash: text("secret_hash"),
  /** RFC 7591 / OIDC Registration metadata as registered (wire names), validated on write. */
  metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  /** Hash of the RFC 7592 registration access token, for clients created through /register. */
  registrationTokenHash: text("registration_token_hash"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  secretRotatedAt: integer("secret_rotated_at"),
});

/** Signing keys. Private JWKs are AES-GCM encrypted under a key derived from KEY_ENCRYPTION_KEY. */
export const signingKeys = sqliteTable(
  "signing_keys",
  {
    kid: text("kid").primaryKey(),
    alg: text("alg", { enum: ["ES256", "EdDSA", "RS256"] }).notNull(),
    publicJwk: text("public_jwk", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    encryptedPrivateJwk: text("encrypted_private_jwk").notNull(),
    /** `next`: published, not yet signing; `active`: signs; `retired`: published until its tokens expire. */
    status: text("status", { enum: ["next", "active", "retired"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    activatedAt: integer("activated_at"),
    retiredAt: integer("retired_at"),
  },
  (table) => [index("signing_keys_status").on(table.status, table.alg)],
);

/** Authorization codes: only a hash is stored; single use through one conditional UPDATE. */
export const authorizationCodes = sqliteTable("authorization_codes", {
  codeHash: text("code_hash").primaryKey(),
  clientId: text("client_id").notNull(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  sessionId: text("session_id").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  /** The authorization request as granted (scope, nonce, PKCE challenge, claims, resource, acr, amr, auth_time). */
  grant: text("grant", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
  /** The refresh-token family the first redemption created, revoked if the code is replayed. */
  familyId: text("family_id"),
});

/** Refresh tokens, rotated on every use; a family is one chain of rotations from one grant. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    clientId: text("client_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sessionId: text("session_id"),
    grant: text("grant", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer("created_at").notNull(),
    /** Absolute end of the family. */
    expiresAt: integer("expires_at").notNull(),
    rotatedAt: integer("rotated_at"),
    revokedAt: integer("revoked_at"),
  },
  (table) => [index("refresh_tokens_family").on(table.familyId), index("refresh_tokens_user_client").on(table.userId, table.clientId)],
);

/** Consent a user gave a client: which scopes, since when, last used; withdrawal keeps the row with `revoked_at`. */
export const consents = sqliteTable(
  "consents",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    scopes: text("scopes").notNull(),
    grantedAt: integer("granted_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (table) => [primaryKey({ columns: [table.userId, table.clientId] })],
);

/** Pushed authorization requests (RFC 9126): single use, 60 seconds. */
export const pushedRequests = sqliteTable("pushed_requests", {
  requestUriHash: text("request_uri_hash").primaryKey(),
  clientId: text("client_id").notNull(),
  params: text("params", { mode: "json" }).$type<Record<string, string>>().notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
});

/** Which clients received tokens in which browser session, for back-channel logout. */
export const sessionClients = sqliteTable(
  "session_clients",
  {
    sessionId: text("session_id").notNull(),
    clientId: text("client_id").notNull(),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.clientId] }), index("session_clients_user").on(table.userId)],
);

/** `jti` values of client assertions seen (private_key_jwt replay protection), kept until the assertion expires. */
export const usedJtis = sqliteTable(
  "used_jtis",
  {
    clientId: text("client_id").notNull(),
    jti: text("jti").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.clientId, table.jti] })],
);

export type ClientRow = typeof clients.$inferSelect;
export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type AuthorizationCodeRow = typeof authorizationCodes.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

/** Initial access tokens for Dynamic Client Registration (RFC 7591 §3): hashed, expiring, optionally single use. */
export const initialAccessTokens = sqliteTable("initial_access_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  singleUse: integer("single_use", { mode: "boolean" }).notNull().default(true),
  usedAt: integer("used_at"),
});

import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./schema";

export const IDENTITY_PROVIDER_TYPES = ["oidc", "google", "apple", "microsoft", "github", "facebook", "linkedin", "discord", "gitlab"] as const;
export type IdentityProviderType = (typeof IDENTITY_PROVIDER_TYPES)[number];

/** The `settings` JSON of a provider row. */
export interface IdentityProviderSettings {
  /** `signup`, `unless_edited` or `always` (services/federation/attribute-sync.ts). */
  attribute_sync?: string;
  /** Apple. */
  team_id?: string;
  key_id?: string;
  /** Entra ID: a directory id, or `common`, `organizations`, `consumers`. */
  tenant?: string;
  /** Entra ID with `common` or `organizations`: the only directory ids (lower-case) admitted; absent admits all. */
  allowed_tenants?: string[];
}

/**
 * Upstream identity providers configured by the operator. Secrets (client secret, Apple's private key)
 * are AES-GCM encrypted under KEY_ENCRYPTION_KEY (purpose `identity-provider-secret`) and never returned.
 */
export const identityProviders = sqliteTable("identity_providers", {
  id: text("id").primaryKey(),
  type: text("type", { enum: IDENTITY_PROVIDER_TYPES }).notNull(),
  displayName: text("display_name").notNull(),
  clientId: text("client_id").notNull(),
  /** Sealed client secret; null for Apple (it signs a client assertion with its private key instead). */
  encryptedClientSecret: text("encrypted_client_secret"),
  /** Issuer URL for `oidc` (discovery); null for the named providers. */
  issuer: text("issuer"),
  /** JSON array of scopes; null means the type's defaults. */
  scopes: text("scopes", { mode: "json" }).$type<string[]>(),
  /** Whether the provider's `email_verified` is believed (required for automatic linking). */
  trustEmail: integer("trust_email", { mode: "boolean" }).notNull().default(false),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** JSON object: target (`name`, `email`, `locale` or a profile-schema field) → upstream claim name or dotted path. */
  attributeMapping: text("attribute_mapping", { mode: "json" }).$type<Record<string, string>>(),
  /** Non-secret settings: when mapped attributes sync, and per type Apple's team and key ids, Entra's tenant(s). */
  settings: text("settings", { mode: "json" }).$type<IdentityProviderSettings>(),
  /** Sealed Apple private key (PKCS#8 PEM). */
  encryptedPrivateKey: text("encrypted_private_key"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Upstream identities, keyed by (`iss`, `sub`), never by email. One upstream account belongs to one user. */
export const federatedIdentities = sqliteTable(
  "federated_identities",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The provider row it came through (kept as text: deleting a provider does not delete identities). */
    providerId: text("provider_id").notNull(),
    iss: text("iss").notNull(),
    sub: text("sub").notNull(),
    /** The upstream email at the last login (for display only; never used for lookup). */
    email: text("email"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (table) => [uniqueIndex("federated_identities_iss_sub").on(table.iss, table.sub), index("federated_identities_user").on(table.userId)],
);

/**
 * Authorization requests in flight: `state`, `nonce` and the PKCE verifier stay server-side, keyed by
 * SHA-256 of `state`. Single use (`DELETE … RETURNING`), ten minutes. `bindingHash` ties the row to the
 * browser that started it (a `SameSite=None` cookie survives Apple's cross-site form_post).
 */
export const federationStates = sqliteTable(
  "federation_states",
  {
    stateHash: text("state_hash").primaryKey(),
    providerId: text("provider_id").notNull(),
    bindingHash: text("binding_hash").notNull(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    returnTo: text("return_to").notNull(),
    /** Set when a logged-in customer links another identity to this account. */
    linkUserId: text("link_user_id"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("federation_states_expires").on(table.expiresAt)],
);

/**
 * An upstream identity whose email matches an existing account that could not be linked automatically:
 * it waits (ten minutes) for the customer to log in to that account and confirm. Keyed by SHA-256 of a
 * random token held in the browser's cookie.
 */
export const federationPendingLinks = sqliteTable(
  "federation_pending_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    providerId: text("provider_id").notNull(),
    iss: text("iss").notNull(),
    sub: text("sub").notNull(),
    email: text("email"),
    /** The account the customer must log in to. */
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("federation_pending_links_expires").on(table.expiresAt)],
);

export type IdentityProviderRow = typeof identityProviders.$inferSelect;
export type FederatedIdentityRow = typeof federatedIdentities.$inferSelect;
export type FederationStateRow = typeof federationStates.$inferSelect;
export type FederationPendingLinkRow = typeof federationPendingLinks.$inferSelect;

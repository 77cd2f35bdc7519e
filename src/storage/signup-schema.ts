import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Passwordless sign-ups waiting for their proof (email code, email link, SMS code then email link). There
 * is no account yet: it is created only when the address is proven, so nobody can hold an unverified
 * account under someone else's address (pre-hijacking). Bound to the asking browser by the
 * `__Host-gh_signup` cookie; only hashes of the secrets are stored.
 */
export const signupRequests = sqliteTable(
  "signup_requests",
  {
    id: text("id").primaryKey(),
    method: text("method", { enum: ["email_code", "magic_link", "sms"] }).notNull(),
    /** The canonical address the account will have. */
    email: text("email").notNull(),
    name: text("name"),
    locale: text("locale", { enum: ["en", "de"] }).notNull(),
    /** E.164 mobile number (SMS sign-up); proven when `phone_verified_at` is set. */
    phone: text("phone"),
    phoneVerifiedAt: integer("phone_verified_at"),
    /** Where the journey continues after sign-up (a same-site path, checked by the route). */
    returnTo: text("return_to"),
    /** The app that journey serves, resolved when the request starts (services/link-journey.ts): its link's pages wear that app's branding. */
    clientId: text("client_id"),
    /** HMAC-SHA-256 (server key) of the code that is open now: the emailed code, the texted one, or the link's. */
    codeHash: text("code_hash").notNull(),
    /** SHA-256 of the emailed link token (link sign-ups, and SMS sign-ups once the phone is proven). */
    tokenHash: text("token_hash"),
    /** SHA-256 of the random secret in the asking browser's cookie. */
    browserHash: text("browser_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    consumedAt: integer("consumed_at"),
  },
  (table) => [uniqueIndex("signup_requests_token_hash").on(table.tokenHash), index("signup_requests_email").on(table.email, table.createdAt)],
);

export type SignupRequestRow = typeof signupRequests.$inferSelect;
export type NewSignupRequest = typeof signupRequests.$inferInsert;

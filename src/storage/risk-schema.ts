import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./schema";

/**
 * Every risk decision on a login, with its score, reasons and signals: customers see theirs on the
 * account page, operators through `GET /admin/v1/risk-events`. Deleted with the account.
 * `reportTokenHash` is the SHA-256 of the "this wasn't me" link's token sent to the owner (single use).
 */
export const riskEvents = sqliteTable(
  "risk_events",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The app the login was for, when it came through /authorize. */
    clientId: text("client_id"),
    decision: text("decision", { enum: ["allow", "step_up", "deny"] }).notNull(),
    score: integer("score").notNull(),
    /** JSON: [{ code, message, points }] */
    reasons: text("reasons", { mode: "json" }).$type<{ code: string; message: string; points: number }[]>().notNull(),
    /** JSON: the signals object the engine saw. */
    signals: text("signals", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    ip: text("ip"),
    country: text("country"),
    city: text("city"),
    /** "Firefox on Windows" */
    device: text("device"),
    /** The first factor used (`password`, `passkey`, …). */
    factor: text("factor").notNull(),
    /** The session this login started (null while a second factor is pending, or when denied). */
    sessionId: text("session_id"),
    reportTokenHash: text("report_token_hash"),
    reportExpiresAt: integer("report_expires_at"),
    /** When the owner said "this wasn't me". */
    reportedAt: integer("reported_at"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    index("risk_events_user").on(table.userId, table.createdAt),
    index("risk_events_created").on(table.createdAt),
    uniqueIndex("risk_events_report_token").on(table.reportTokenHash),
  ],
);

export type RiskEventRow = typeof riskEvents.$inferSelect;

import { env } from "cloudflare:workers";
import { Browser } from "../helpers/http";

/** The admin API helper of the admin tests. */
export { admin } from "../admin/helpers";

/** A browser whose requests arrive with these edge facts (`request.cf`), as Cloudflare would attach them. */
export class PlacedBrowser extends Browser {
  cf: Record<string, unknown> = {};
  override fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return super.fetch(path, { ...init, cf: this.cf } as RequestInit);
  }
}

export const BERLIN_CF = { country: "DE", city: "Berlin", latitude: "52.52", longitude: "13.40", timezone: "Europe/Berlin", asn: 3320 };
export const SYDNEY_CF = { country: "AU", city: "Sydney", latitude: "-33.87", longitude: "151.21", timezone: "Australia/Sydney", asn: 16509 };

export async function userIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  if (!row) throw new Error("no such user");
  return row.id;
}

export async function riskEventsOf(userId: string) {
  const rows = await env.DB.prepare("SELECT decision, score, reasons, session_id FROM risk_events WHERE user_id = ? ORDER BY created_at")
    .bind(userId)
    .all<{ decision: string; score: number; reasons: string; session_id: string | null }>();
  return rows.results.map((row) => ({ ...row, codes: (JSON.parse(row.reasons) as { code: string }[]).map((item) => item.code) }));
}

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { admin } from "../admin/helpers";
import { GOOD_PASSWORD } from "../helpers/accounts";
import { type Browser, ORIGIN } from "../helpers/http";

/** `request.cf` as Cloudflare's edge fills it, for a few places. */
export const BERLIN = {
  country: "DE",
  city: "Berlin",
  latitude: 52.52,
  longitude: 13.405,
  timezone: "Europe/Berlin",
  asn: 3320,
  asOrganization: "Deutsche Telekom AG",
};
export const LYON = { country: "FR", city: "Lyon", latitude: 45.764, longitude: 4.835, timezone: "Europe/Paris", asn: 3215, asOrganization: "Orange" };
export const SYDNEY = {
  country: "AU",
  city: "Sydney",
  latitude: -33.869,
  longitude: 151.209,
  timezone: "Australia/Sydney",
  asn: 1221,
  asOrganization: "Telstra",
};
/** An ASN from the private range that the tests add to the operator's anonymizer list. */
export const TEST_VPN_ASN = 64_512;

export const DEFAULT_SETTINGS = {
  step_up_at: 30,
  deny_at: 85,
  turnstile_at: 40,
  notify_new_device: true,
  surge_failures_per_minute: 60,
  surge_signups_per_minute: 30,
  hosting_asns: [],
  anonymizer_asns: [],
};

/** Posts our login form the way `Browser.post` does, arriving at the edge with `cf`. */
export async function postLogin(browser: Browser, fields: Record<string, string>, cf: Record<string, unknown>): Promise<Response> {
  if (!browser.cookies.has("__Host-gh_csrf")) await browser.get("/login");
  const body = new URLSearchParams({ csrf_token: browser.cookies.get("__Host-gh_csrf") ?? "", password: GOOD_PASSWORD, ...fields });
  return browser.fetch("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN }, body, cf } as RequestInit);
}

export async function userIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** The browser's device id: its `__Host-gh_device` cookie up to the first dot. */
export function deviceIdOf(browser: Browser): string {
  const id = browser.cookies.get("__Host-gh_device")?.split(".")[0];
  if (!id) throw new Error("the browser has no device cookie");
  return id;
}

export interface RiskEventJson {
  id: string;
  user_id: string;
  client_id: string | null;
  decision: "allow" | "step_up" | "deny";
  score: number;
  reasons: { code: string; message: string; points: number }[];
  signals: Record<string, Record<string, unknown>>;
  ip: string | null;
  country: string | null;
  city: string | null;
  device: string | null;
  factor: string;
  session_id: string | null;
  reported_at: string | null;
  created_at: string;
}

export async function riskEventsPage(query: string): Promise<{ events: RiskEventJson[]; next_cursor: string | null }> {
  const response = await admin(`/admin/v1/risk-events?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { events: RiskEventJson[]; next_cursor: string | null };
}

export async function latestRiskEvent(userId: string): Promise<RiskEventJson> {
  const [event] = (await riskEventsPage(`user_id=${userId}&limit=1`)).events;
  if (!event) throw new Error("no risk event");
  return event;
}

/** Sets the global risk policy through the admin API (fields over the defaults). */
export async function putRiskSettings(fields: Record<string, unknown>): Promise<Response> {
  return admin("/admin/v1/settings/risk", { method: "PUT", json: { ...DEFAULT_SETTINGS, ...fields } });
}

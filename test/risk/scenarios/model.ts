/**
 * The shape of a replayable risk journey, and the places, networks and browsers the journeys share.
 * Journeys are data: each attempt says when, from where (the `request.cf` facts and the source IP), from
 * which browser, with which credentials, who it really is, and what the login should end in.
 */

/** How a login attempt ends, as the browser sees it. */
export type Outcome =
  /** First factor right, risk decision allow: the session starts without a second factor (adaptive MFA). */
  | "allow"
  /** First factor right, the engine asks for a second factor. */
  | "step_up"
  /** First factor right, the engine refuses the login. */
  | "deny"
  /** Wrong credentials: no risk decision is made (there is nobody to score). */
  | "failed"
  /** The login-name or source guard answered 429 before the password was checked. */
  | "throttled";

/** What a journey expects: an exact outcome, or `rejected` (failed or throttled: wrong credentials, where the guards' backoff timing decides which). */
export type Expectation = Outcome | "rejected";

export function meets(outcome: Outcome, expectation: Expectation): boolean {
  return expectation === "rejected" ? outcome === "failed" || outcome === "throttled" : outcome === expectation;
}

export type Who = "legit" | "attacker";

/** What `request.cf` carries on Cloudflare (the subset the edge-facts parser reads). */
export interface CfFacts {
  country?: string;
  city?: string;
  latitude?: string | number;
  longitude?: string | number;
  timezone?: string;
  asn?: number;
  asOrganization?: string;
  tlsVersion?: string;
  botManagement?: { score?: number; ja3Hash?: string; ja4?: string };
}

export interface Attempt {
  /** Milliseconds after the journey's start. */
  at: number;
  /** The account's login name (the account exists for every name used in a journey). */
  account: string;
  who: Who;
  /** null: no `cf` object at all (local development), which must be neutral. */
  cf: CfFacts | null;
  ip: string;
  /** The browser's `__Host-gh_device` id; a browser without a (valid) cookie gets a fresh one, so give it a fresh name. */
  device: string;
  userAgent: string;
  factor?: "password" | "passkey";
  /** `cloned_passkey`: a valid signature whose counter went backwards (refused, and remembered for a day). */
  credentials: "right" | "wrong" | "cloned_passkey";
  /** The password typed is on the common/breached list. */
  commonPassword?: boolean;
  /** When asked for a second factor: legitimate users pass it, attackers do not (the default). `push_denied`: the owner taps "deny". */
  secondFactor?: "passes" | "fails" | "push_denied";
  expect: Expectation;
  /** Part of the account's history before the journey proper: replayed, but not counted in the evaluation. */
  warmup?: boolean;
}

/** Something that happened to an account between logins and that the engine remembers for a day. */
export interface AccountEvent {
  at: number;
  account: string;
  event: "password_reset" | "factor_added";
}

export interface Scenario {
  id: string;
  title: string;
  /** One sentence: who does what, and what should happen. */
  story: string;
  /** Unix ms of the journey's start (the simulated clock). */
  start: number;
  attempts: Attempt[];
  events?: AccountEvent[];
  /**
   * When the engine does not (yet) do what the journey expects: why, in one sentence. The evaluation
   * shows the difference; the test then asserts the recorded actual outcomes instead, so a fix is noticed.
   */
  knownGap?: { reason: string; actual: Outcome[] };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Monday 2026-03-02 00:00 UTC: every journey starts on a Monday, so weekday habits line up. */
export const MONDAY = Date.UTC(2026, 2, 2);

/** A residential or mobile network somewhere: the `cf` facts of a login from there. */
export function place(
  country: string,
  city: string,
  latitude: number,
  longitude: number,
  timezone: string,
  asn: number,
  asOrganization: string,
  extra: Partial<CfFacts> = {},
): CfFacts {
  return { country, city, latitude: String(latitude), longitude: String(longitude), timezone, asn, asOrganization, tlsVersion: "TLSv1.3", ...extra };
}

export const PLACES = {
  berlin: place("DE", "Berlin", 52.52, 13.405, "Europe/Berlin", 3320, "Deutsche Telekom AG"),
  berlinMobile: place("DE", "Berlin", 52.52, 13.405, "Europe/Berlin", 6805, "Telefonica Germany"),
  hamburg: place("DE", "Hamburg", 53.551, 9.994, "Europe/Berlin", 3320, "Deutsche Telekom AG"),
  hamburgOffice: place("DE", "Hamburg", 53.551, 9.994, "Europe/Berlin", 3209, "Vodafone GmbH"),
  munich: place("DE", "Munich", 48.137, 11.575, "Europe/Berlin", 3320, "Deutsche Telekom AG"),
  lyon: place("FR", "Lyon", 45.764, 4.836, "Europe/Paris", 3215, "Orange S.A."),
  paris: place("FR", "Paris", 48.857, 2.352, "Europe/Paris", 3215, "Orange S.A."),
  london: place("GB", "London", 51.507, -0.128, "Europe/London", 2856, "British Telecommunications PLC"),
  newYork: place("US", "New York", 40.713, -74.006, "America/New_York", 7922, "Comcast Cable Communications"),
  sanFrancisco: place("US", "San Francisco", 37.775, -122.419, "America/Los_Angeles", 7922, "Comcast Cable Communications"),
  tokyo: place("JP", "Tokyo", 35.676, 139.65, "Asia/Tokyo", 2516, "KDDI Corporation"),
  lagos: place("NG", "Lagos", 6.524, 3.379, "Africa/Lagos", 29465, "MTN Nigeria"),
  saoPaulo: place("BR", "São Paulo", -23.55, -46.633, "America/Sao_Paulo", 28573, "Claro S.A."),
  moscow: place("RU", "Moscow", 55.756, 37.617, "Europe/Moscow", 12389, "Rostelecom"),
  /** A commercial VPN exit (an anonymiser ASN on the bundled list). */
  vpnAmsterdam: place("NL", "Amsterdam", 52.37, 4.895, "Europe/Amsterdam", 9009, "M247 Europe SRL"),
  /** A cloud data centre (a hosting ASN on the bundled list). */
  awsVirginia: place("US", "Ashburn", 39.044, -77.487, "America/New_York", 14618, "Amazon.com, Inc."),
  hetznerFalkenstein: place("DE", "Falkenstein", 50.477, 12.371, "Europe/Berlin", 24940, "Hetzner Online GmbH"),
  digitalOceanFrankfurt: place("DE", "Frankfurt", 50.11, 8.682, "Europe/Berlin", 14061, "DigitalOcean, LLC"),
} satisfies Record<string, CfFacts>;

export const BROWSERS = {
  chromeMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  firefoxWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  edgeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  safariIphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  chromeAndroid: "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  pythonRequests: "python-requests/2.32.3",
  curl: "curl/8.11.0",
} as const;

/** The same place with a bot score from the edge's Bot Management. */
export function withBotScore(cf: CfFacts, score: number): CfFacts {
  return { ...cf, botManagement: { ...cf.botManagement, score } };
}

/** Where an attempt comes from: the edge facts, the source address, the browser's device id and User-Agent. */
export interface Origin {
  cf: CfFacts | null;
  ip: string;
  device: string;
  userAgent: string;
}

/**
 * A regular user's history: `days` weekdays of logins at `hourUtc` (plus up to 50 minutes) from one place and device,
 * replayed as warm-up so the journey starts with a realistic profile.
 */
export function habit(account: string, from: Origin, options: { days: number; hourUtc: number; startDay?: number }): Attempt[] {
  const attempts: Attempt[] = [];
  for (let day = options.startDay ?? 0; attempts.length < options.days; day++) {
    if (day % 7 >= 5) continue;
    const at = day * DAY + options.hourUtc * HOUR + ((day * 17) % 50) * MINUTE;
    attempts.push({ at, account, who: "legit", ...from, credentials: "right", expect: "allow", warmup: true });
  }
  return attempts;
}

/** Distinct IPv4 addresses from a documentation-free private-looking pool, one per index (rotating proxies). */
export function rotatingIp(index: number, prefix = 100): string {
  return `${prefix}.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

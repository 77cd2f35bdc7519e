/**
 * What Cloudflare's edge tells a Worker about the connection (`request.cf`), reduced to the facts the
 * risk signals use, each checked for its type. Missing (local development, tests) or malformed values
 * become null: neutral, never an error.
 */
export interface EdgeFacts {
  country: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  /** IANA time zone of the client's location ("Europe/Berlin"). */
  timezone: string | null;
  asn: number | null;
  asOrganization: string | null;
  tlsVersion: string | null;
  tlsCipher: string | null;
  /** Bot Management score (1 = bot … 99 = human), only on plans that have it. */
  botScore: number | null;
  ja3: string | null;
  ja4: string | null;
}

export const NO_EDGE_FACTS: EdgeFacts = {
  country: null,
  city: null,
  latitude: null,
  longitude: null,
  timezone: null,
  asn: null,
  asOrganization: null,
  tlsVersion: null,
  tlsCipher: null,
  botScore: null,
  ja3: null,
  ja4: null,
};

function text(value: unknown, max = 128): string | null {
  return typeof value === "string" && value.length > 0 && value.length <= max ? value : null;
}

function number(value: unknown, min: number, max: number): number | null {
  const parsed = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof parsed === "number" && Number.isFinite(parsed) && parsed >= min && parsed <= max ? parsed : null;
}

export function edgeFacts(cf: unknown): EdgeFacts {
  if (!cf || typeof cf !== "object") return NO_EDGE_FACTS;
  const raw = cf as Record<string, unknown>;
  const bot = raw.botManagement && typeof raw.botManagement === "object" ? (raw.botManagement as Record<string, unknown>) : {};
  const country = text(raw.country, 2);
  return {
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
    city: text(raw.city),
    latitude: number(raw.latitude, -90, 90),
    longitude: number(raw.longitude, -180, 180),
    timezone: text(raw.timezone, 64),
    asn: number(raw.asn, 0, 4_294_967_295),
    asOrganization: text(raw.asOrganization),
    tlsVersion: text(raw.tlsVersion, 16),
    tlsCipher: text(raw.tlsCipher, 64),
    botScore: number(bot.score, 0, 100),
    ja3: text(bot.ja3Hash, 64),
    ja4: text(bot.ja4, 64),
  };
}

/**
 * In development only, `x-dev-cf` (a JSON object standing in for `request.cf`) and `x-dev-ip` (standing in
 * for `CF-Connecting-IP`) let end-to-end tests replay logins from other places. Anywhere else they are
 * ignored, like any other header a client can forge.
 */
export function developmentEdgeOverrides(headers: Headers, environment: string): { cf?: unknown; ip?: string } {
  if (environment !== "development") return {};
  const overrides: { cf?: unknown; ip?: string } = {};
  const cf = headers.get("x-dev-cf");
  if (cf !== null) {
    try {
      overrides.cf = JSON.parse(cf);
    } catch {
      overrides.cf = null;
    }
  }
  const ip = headers.get("x-dev-ip")?.trim();
  if (ip) overrides.ip = ip;
  return overrides;
}

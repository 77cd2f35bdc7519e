import { randomInt } from "node:crypto";
import { inject } from "vitest";

export const CSRF_COOKIE = "__Host-gh_csrf";
export const SESSION_COOKIE = "__Host-gh_session";

/** The worker's issuer origin (`http://localhost:<port>`), as global setup provided it. */
export const baseUrl = (): string => inject("baseUrl");
/** The same worker by address (`http://127.0.0.1:<port>`): what Node clients connect to. */
export const connectUrl = (): string => inject("connectUrl");

/**
 * A random IPv4 address for `CF-Connecting-IP`, so each client has its own rate-limit counters.
 * 10.0.0.0/8 gives 16 million choices: two tests practically never share one.
 */
export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export interface PostOptions {
  /** `Origin` header; `null` sends none. Defaults to the issuer origin, as our own pages would. */
  origin?: string | null;
  /** The form's `csrf_token`; `null` leaves it out. Defaults to the value of the CSRF cookie. */
  csrf?: string | null;
  headers?: Record<string, string>;
}

/**
 * A browser stand-in for plain HTTP tests: a cookie jar, redirects left to the test, and a client
 * address sent as `CF-Connecting-IP` (wrangler dev passes a client-sent value through; see docs/testing.md).
 * It connects to 127.0.0.1 but posts with `Origin: http://localhost:<port>`, the issuer origin.
 */
/** A request that gets no response headers within this long is treated as hung. */
const RESPONSE_DEADLINE_MS = 20_000;

/**
 * `fetch` with a deadline for the response headers. wrangler dev's local proxy has been seen to leave a
 * request hanging (docs/testing.md); a hung GET is sent once more (it changes nothing), a hung POST fails
 * at once with a message that says so, instead of running into the 120 s test timeout.
 */
async function fetchWithDeadline(url: string, init: RequestInit): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(RESPONSE_DEADLINE_MS) });
      // A 503 without our X-Request-Id comes from wrangler dev's proxy while it reloads its runtime (every answer
      // of Gatehouse, errors included, carries the id): the request never reached the worker, so send it again.
      if (response.status === 503 && !response.headers.has("x-request-id") && attempt <= 2) {
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      return response;
    } catch (error) {
      const hung = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      if (!hung) throw error;
      if (method !== "GET" || attempt > 1) throw new Error(`no response within ${RESPONSE_DEADLINE_MS / 1000} s: ${method} ${new URL(url).pathname}`);
    }
  }
}

export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly ip: string | null = randomIp()) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.ip && !headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", this.ip);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await fetchWithDeadline(`${connectUrl()}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, { headers });
  }

  /** GET and read the body, so the caller sees status and page together. */
  async page(path: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string; response: Response }> {
    const response = await this.get(path, headers);
    return { status: response.status, html: await response.text(), response };
  }

  /** Posts a urlencoded form the way one of our pages would: same origin, CSRF token from the cookie. */
  async post(path: string, fields: Record<string, string>, options: PostOptions = {}): Promise<Response> {
    if (!this.cookies.has(CSRF_COOKIE)) await (await this.get("/login")).arrayBuffer();
    const csrf = options.csrf === undefined ? (this.cookies.get(CSRF_COOKIE) ?? "") : options.csrf;
    const body = new URLSearchParams(csrf === null ? fields : { csrf_token: csrf, ...fields });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...options.headers };
    const origin = options.origin === undefined ? baseUrl() : options.origin;
    if (origin !== null) headers.origin = origin;
    return this.fetch(path, { method: "POST", headers, body });
  }

  /** `post` and read the body. */
  async submit(path: string, fields: Record<string, string>, options: PostOptions = {}): Promise<{ status: number; html: string; response: Response }> {
    const response = await this.post(path, fields, options);
    return { status: response.status, html: await response.text(), response };
  }

  private store(line: string): void {
    const [pair = "", ...attributes] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute) || /expires=Thu, 01 Jan 1970/i.test(attribute));
    if (expired || value === "") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

import { exports } from "cloudflare:workers";

export const ORIGIN = "http://localhost:8787";

// Every browser gets its own address, so one test's blocked source never slows another
// test's browser (with 250 random addresses, a collision made the spray test flaky).
let nextAddress = Math.floor(Math.random() * 0xf00000);
function uniqueAddress(): string {
  nextAddress += 1;
  return `10.${(nextAddress >> 16) & 0xff}.${(nextAddress >> 8) & 0xff}.${nextAddress & 0xff}`;
}

/** A tiny cookie jar + form poster for driving the worker like a browser would. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly ip = uniqueAddress()) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", this.ip);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await exports.default.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers, redirect: "manual" }));
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => /max-age=0/i.test(attribute) || /expires=Thu, 01 Jan 1970/i.test(attribute));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.fetch(path);
  }

  /** Posts a form the way a page of ours would: same origin, with the CSRF token from the cookie. */
  async post(path: string, fields: Record<string, string>, options: { origin?: string | null; csrf?: string | null } = {}): Promise<Response> {
    if (!this.cookies.has("__Host-gh_csrf")) await this.get("/login");
    const body = new URLSearchParams({ csrf_token: options.csrf === undefined ? (this.cookies.get("__Host-gh_csrf") ?? "") : (options.csrf ?? ""), ...fields });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    return this.fetch(path, { method: "POST", headers, body });
  }
}

/** A page with its per-request values (CSP nonces, CSRF tokens) blanked, for "same response" comparisons. */
export function stripPerRequest(html: string): string {
  return html.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/value="[A-Za-z0-9_-]{43}"/g, 'value=""');
}

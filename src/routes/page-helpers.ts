import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import type { PageContext } from "../ui/layout";

/** What every hosted page needs from the request. */
export function pageContext<E extends AppEnv>(c: Context<E>): PageContext {
  const url = new URL(c.req.url);
  const vars = c.var as AppEnv["Variables"];
  return { t: vars.t, locale: vars.locale, nonce: vars.cspNonce, csrfToken: vars.csrfToken, currentPath: pathWithQuery(url), theme: vars.theme };
}

/**
 * Where the language switch returns to: the page with its query (a link's token, the journey's `return_to`),
 * minus `ui_locales`, which would override the language just chosen.
 */
function pathWithQuery(url: URL): string {
  if (!url.search) return url.pathname;
  url.searchParams.delete("ui_locales");
  return `${url.pathname}${url.search}`;
}

/**
 * The submitted form as plain strings. Only urlencoded and multipart bodies are accepted (415 otherwise),
 * files are refused (400), and a body that does not parse is a 400: nothing downstream sees garbage.
 */
export async function readForm<E extends AppEnv>(c: Context<E>): Promise<Record<string, string>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    throw new HTTPException(415, { message: "forms must be application/x-www-form-urlencoded or multipart/form-data" });
  }
  const body = await c.req.parseBody().catch(() => {
    throw new HTTPException(400, { message: "malformed form body" });
  });
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== "string") throw new HTTPException(400, { message: "file uploads are not accepted here" });
    form[key] = value;
  }
  return form;
}

/** Sets `Retry-After` and the 429 status for a throttled form. */
export function tooManyRequests<E extends AppEnv>(c: Context<E>, retryAfterSeconds: number): void {
  c.status(429);
  c.header("Retry-After", String(Math.max(1, retryAfterSeconds)));
}

/** Only same-site relative paths are followed after a form (no open redirects). */
export function safeReturnPath(value: string | undefined, fallback: string): string {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : fallback;
}

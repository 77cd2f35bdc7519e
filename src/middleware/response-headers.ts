import type { Context } from "hono";

/**
 * Sets headers on the finished response in place. Hono's `c.header()` after the handler copies the whole
 * Response once per header (measured: the largest single cost of a discovery request); this copies at most
 * once, and only when the response's headers are immutable (e.g. a response passed through from fetch).
 */
export function setResponseHeaders(c: Context, headers: Record<string, string>, options: { ifAbsent?: string[] } = {}): void {
  let target = c.res.headers;
  try {
    apply(target, headers, options.ifAbsent);
  } catch {
    c.res = new Response(c.res.body, c.res);
    target = c.res.headers;
    apply(target, headers, options.ifAbsent);
  }
}

function apply(target: Headers, headers: Record<string, string>, ifAbsent: string[] = []): void {
  for (const [name, value] of Object.entries(headers)) {
    if (ifAbsent.includes(name) && target.has(name)) continue;
    target.set(name, value);
  }
}

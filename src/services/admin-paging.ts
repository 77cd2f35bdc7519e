import { base64UrlDecode, base64UrlEncode, utf8 } from "../lib/encoding";

/**
 * Page cursors are opaque to clients (base64url of a small JSON object), so the keyset behind them can
 * change without breaking anyone. Decoding returns `null` for anything we did not mint.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return base64UrlEncode(utf8.encode(JSON.stringify(position)));
}

export function decodeCursor(cursor: string): Record<string, unknown> | null {
  const bytes = base64UrlDecode(cursor);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** One page of a keyset listing: the rows and the cursor for the next page, or `null` on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cuts a result fetched with `limit + 1` rows into a page: the extra row only tells that more exist. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

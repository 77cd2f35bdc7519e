/**
 * A page with what legitimately differs between two requests taken out: CSP nonces, CSRF tokens,
 * request ids, and the given strings (such as the email address the visitor typed).
 */
export function comparable(html: string, replace: Record<string, string> = {}): string {
  let result = html
    .replace(/nonce="[^"]*"/g, 'nonce="NONCE"')
    .replace(/(name="csrf_token" value=")[^"]*"/g, '$1CSRF"')
    .replace(/Request ID: [\w-]+/g, "Request ID: ID");
  for (const [text, placeholder] of Object.entries(replace)) result = result.split(text).join(placeholder);
  return result;
}

/** The text of the page's notices (`.notice` elements): what a visitor is told. */
export function notices(html: string): string[] {
  return [...html.matchAll(/<div class="notice [^"]*"[^>]*>([\s\S]*?)<\/div>/g)].map((match) => decode(match[1] ?? "").trim());
}

/** The first `<h1>`. */
export function heading(html: string): string {
  return decode(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? "").trim();
}

function decode(text: string): string {
  return text
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

import { toHex, utf8 } from "./encoding";

/** SHA-256 of a UTF-8 string, as lower-case hex: enough for high-entropy secrets (tokens, session secrets). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", utf8.encode(text)));
}

/** HMAC-SHA-256 of `message` under `key`, hex. Used for low-entropy secrets (6-digit codes) so a database leak alone does not reveal them. */
export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey("raw", utf8.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", cryptoKey, utf8.encode(message)));
}

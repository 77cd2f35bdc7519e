import { hmacSha256Hex } from "../../lib/hashing";
import { randomToken } from "../../lib/random";
import { timingSafeEqualStrings } from "../../lib/timing-safe";

export const DEVICE_COOKIE = "__Host-gh_device";
/** Browsers cap cookie lifetimes at 400 days. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600;

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

function mac(secret: string, id: string): Promise<string> {
  return hmacSha256Hex(`device:${secret}`, id);
}

/**
 * The browser's device id from its `__Host-gh_device` cookie (`<id>.<hmac>`), or null when the cookie is
 * missing or was tampered with: a forged or edited cookie counts as a new device, never as a known one.
 */
export async function readDeviceId(secret: string, cookie: string | undefined | null): Promise<string | null> {
  const [id, tag, ...rest] = (cookie ?? "").split(".");
  if (!id || !tag || rest.length > 0 || !ID_PATTERN.test(id)) return null;
  return (await timingSafeEqualStrings(tag, await mac(secret, id))) ? id : null;
}

/** A new device id (128 bits) and its signed cookie value. */
export async function newDevice(secret: string): Promise<{ id: string; cookieValue: string }> {
  const id = randomToken(16);
  return { id, cookieValue: `${id}.${await mac(secret, id)}` };
}

/**
 * The client address, from `CF-Connecting-IP` only: Cloudflare sets it and strips any value the
 * client sent, whereas `X-Forwarded-For` is whatever the client wrote.
 */
export function clientIp(headers: Headers): string | null {
  return validIp(headers.get("cf-connecting-ip"));
}

/** An IPv4 or IPv6 address in textual form (characters and length only: it is a key, never parsed further). */
export function validIp(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && /^[0-9a-fA-F:.]{2,45}$/.test(trimmed) ? trimmed : null;
}

/**
 * The key that rate limits count under: the full IPv4 address, or the /64 prefix of an IPv6
 * address, because one IPv6 customer usually holds a whole /64.
 */
export function ipLimiterKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const expanded = expandIpv6(ip);
  return expanded ? `${expanded.slice(0, 4).join(":")}::/64` : ip.toLowerCase();
}

function expandIpv6(ip: string): string[] | null {
  const [head = "", tail, ...rest] = ip.toLowerCase().split("::");
  if (rest.length > 0) return null;
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const groups = [...headGroups, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tailGroups];
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}

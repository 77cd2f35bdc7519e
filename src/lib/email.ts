/** The longest address SMTP can deliver to (RFC 5321 §4.5.3.1.3 path limit minus the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * Canonical form of an email address: trimmed, NFKC-normalized, the whole address lower-cased.
 * Plus-addressing is kept (`ann+shop@example.com` is its own account): providers differ on
 * whether `+` is a tag, and stripping it would merge accounts their owners keep apart.
 * Returns `null` when the input is not a plausible single address.
 */
export function normalizeEmail(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const email = input.trim().normalize("NFKC").toLowerCase();
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) return null;
  // One @, a non-empty local part, a dotted domain, no whitespace, control characters, or brackets.
  if (!/^[^\s@<>()[\]\\,;:"\p{Cc}]+@[^\s@<>()[\]\\,;:"\p{Cc}]+\.[^\s@<>()[\]\\,;:"\p{Cc}]+$/u.test(email)) return null;
  const [local = "", domain = ""] = email.split("@");
  if (local.length > 64 || domain.startsWith(".") || domain.endsWith(".") || domain.includes("..")) return null;
  return email;
}

/** `a***@example.com`: enough to recognise an address in an audit trail or a notice, not enough to harvest it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

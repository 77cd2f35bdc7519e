import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { randomBytes } from "../../lib/random";

/** RFC 6238 parameters every authenticator app understands: HMAC-SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted on either side of the current one, for clock drift and typing time (±30 s). */
export const TOTP_WINDOW = 1;
/** 160-bit secrets, the HMAC-SHA-1 block-size recommendation of RFC 4226 §4. */
const SECRET_BYTES = 20;

/** The 30-second step a moment falls into (the HOTP counter of RFC 6238). */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** A fresh random secret, base32 (RFC 4648) without padding, as authenticator apps expect it. */
export function newTotpSecret(): string {
  return encodeBase32UpperCaseNoPadding(randomBytes(SECRET_BYTES));
}

/** `ABCD EFGH …`: the secret in groups of four, easier to type from the screen. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The `otpauth://totp/…` URI (Key URI Format) for QR codes and phone links. */
export function totpUri(secret: string, issuer: string, accountName: string): string {
  return createTOTPKeyURI(issuer, accountName, decodeBase32IgnorePadding(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/**
 * The step whose code `code` is, within ±`TOTP_WINDOW` of now, or null. Every candidate step is checked
 * (constant-time comparison each), so the time taken does not tell which step matched.
 */
export function matchingStep(secret: string, code: string, nowMs: number): number | null {
  const digits = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(digits)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const current = totpStep(nowMs);
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, digits) && matched === null) matched = step;
  }
  return matched;
}

import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { sha256Hex } from "../../lib/hashing";
import { randomBytes } from "../../lib/random";

/** How many codes a set has. */
export const RECOVERY_CODE_COUNT = 10;
/** 10 random bytes = 80 bits per code: far beyond guessing, so a plain SHA-256 at rest is enough (no slow KDF). */
const CODE_BYTES = 10;

/** A fresh code, `ABCD-EFGH-IJKL-MNOP` (16 base32 characters in groups of four). */
export function newRecoveryCode(): string {
  return (encodeBase32UpperCaseNoPadding(randomBytes(CODE_BYTES)).match(/.{4}/g) ?? []).join("-");
}

/**
 * A typed code in canonical form: case, spaces and dashes ignored, and the digits people confuse with
 * base32 letters read as those letters. Null when it cannot be a recovery code.
 */
export function canonicalRecoveryCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 64) return null;
  const code = input
    .toUpperCase()
    .replace(/[\s-]+/g, "")
    .replace(/0/g, "O")
    .replace(/1/g, "I")
    .replace(/8/g, "B");
  return /^[A-Z2-7]{16}$/.test(code) ? code : null;
}

/** What is stored: SHA-256 of the canonical form. */
export function hashRecoveryCode(canonical: string): Promise<string> {
  return sha256Hex(`recovery-code:${canonical}`);
}

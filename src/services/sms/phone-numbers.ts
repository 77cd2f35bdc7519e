// The `mobile` metadata build (~100 KB, against ~80 KB for `min` and ~160 KB for `max`): it carries the
// exact digit patterns of mobile numbers for every country, so `isValid()` accepts only numbers that can
// receive a text. Landlines, premium-rate and other numbers SMS pumping likes to target are refused.
import { parsePhoneNumberFromString } from "libphonenumber-js/mobile";

/** A mobile number we may text: canonical E.164 and its country calling code (without `+`). */
export interface PhoneNumber {
  e164: string;
  callingCode: string;
}

/** Longest input worth parsing; real numbers with spacing stay far below it. */
const MAX_INPUT_LENGTH = 32;
/** What people type around a number: digits, one leading `+`, spaces, dots, dashes, slashes and brackets. */
const PLAUSIBLE = /^\+[\d\s().\-/]+$/;

/**
 * Parses untrusted input into a mobile number in E.164, or `null`. The number must be written
 * internationally (`+49 151 …`): without a country we would have to guess one. Extensions are refused.
 */
export function parseMobileNumber(input: unknown): PhoneNumber | null {
  if (typeof input !== "string") return null;
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_INPUT_LENGTH || !PLAUSIBLE.test(text)) return null;
  const parsed = parsePhoneNumberFromString(text);
  if (!parsed || parsed.ext || !parsed.isValid()) return null;
  return { e164: parsed.number, callingCode: parsed.countryCallingCode };
}

/** Whether the operator allows texts to this country calling code (`SMS_ALLOWED_COUNTRIES`; unset allows all). */
export function isCallingCodeAllowed(allowed: readonly string[] | null, callingCode: string): boolean {
  return allowed === null || allowed.includes(callingCode);
}

/** Why a number cannot be texted; depends only on the input and the configuration, never on accounts. */
export type NumberProblem = "disabled" | "invalid_number" | "country_not_allowed";

/** A number we may text now: SMS switched on, a valid mobile number, a country the operator allows. */
export function textableNumber(
  sms: { enabled: boolean; allowedCallingCodes: readonly string[] | null },
  input: unknown,
): { phone: PhoneNumber } | { problem: NumberProblem } {
  if (!sms.enabled) return { problem: "disabled" };
  const phone = parseMobileNumber(input);
  if (!phone) return { problem: "invalid_number" };
  if (!isCallingCodeAllowed(sms.allowedCallingCodes, phone.callingCode)) return { problem: "country_not_allowed" };
  return { phone };
}

/** The number with all but its last three digits hidden, for pages and notices: `+49 ••• ••• 789`. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const prefix = parsed ? `+${parsed.countryCallingCode}` : e164.slice(0, 3);
  return `${prefix} ••• ••• ${e164.slice(-3)}`;
}

/** The number for its owner's eyes, grouped the international way: `+49 1512 3456789`. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

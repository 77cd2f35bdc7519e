import type { RiskEventRow } from "../../storage/schema";
import type { Locale, MessageKey, Translate } from "../../ui/i18n";
import { FACTOR_KINDS, type FactorKind } from "../auth/methods";
import { RISK_REASONS, type RiskReasonCode } from "./vocabulary";

/** A stored login decision told in the customer's language: the owner's email and the account page say the same. */
export interface RiskEventWords {
  /** "27 Nov 2026, 22:13 UTC" */
  time: string;
  /** "Lyon, France"; null when the edge did not say where. */
  place: string | null;
  /** "Firefox on Windows"; null when the browser could not be told. */
  device: string | null;
  /** "Password", "Passkey", … */
  method: string;
  /** The reasons that raised the score, joined: "a device this account never signed in from, a VPN …". */
  reasons: string;
}

/** Every reason code has its customer sentence: a code added to the vocabulary without one fails the type check here. */
function reasonKey(code: RiskReasonCode): MessageKey {
  const key: MessageKey = `risk.reason.${code}`;
  return key;
}

function isReasonCode(code: string): code is RiskReasonCode {
  return Object.hasOwn(RISK_REASONS, code);
}

export function formatTime(ms: number, locale: Locale): string {
  const text = new Date(ms).toLocaleString(locale === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return `${text} UTC`;
}

/** "Lyon, France" from the edge's city and ISO country code, the country named in the reader's language. */
export function placeName(t: Translate, locale: Locale, city: string | null, country: string | null): string | null {
  let countryName = country;
  if (country) {
    try {
      countryName = new Intl.DisplayNames([locale], { type: "region" }).of(country) ?? country;
    } catch {
      countryName = country;
    }
  }
  if (city && countryName) return t("risk.place", { city, country: countryName });
  return countryName ?? city ?? null;
}

/** "Firefox on Windows" as stored (services/risk/signals/user-agent.ts), in the reader's language. */
export function deviceName(t: Translate, device: string | null): string | null {
  const match = /^(.+) on (.+)$/.exec(device ?? "");
  if (!match?.[1] || !match[2] || (match[1] === "Other" && match[2] === "Other")) return null;
  return t("risk.device", { browser: match[1], os: match[2] });
}

export function methodName(t: Translate, factor: string): string {
  if (factor === "federated") return t("risk.method.federated");
  return (FACTOR_KINDS as readonly string[]).includes(factor) ? t(`mfa.factor.${factor as Exclude<FactorKind, "federated">}`) : factor;
}

/** The reasons that added points, in words; mitigations (a passkey) are left out, they are not why we wrote. */
export function reasonsInWords(t: Translate, reasons: readonly { code: string; message: string; points: number }[]): string {
  const words = reasons.filter((item) => item.points > 0).map((item) => (isReasonCode(item.code) ? t(reasonKey(item.code)) : item.message));
  return words.length > 0 ? words.join("; ") : t("risk.reason.none");
}

export function describeRiskEvent(t: Translate, locale: Locale, event: RiskEventRow): RiskEventWords {
  return {
    time: formatTime(event.createdAt, locale),
    place: placeName(t, locale, event.city, event.country),
    device: deviceName(t, event.device),
    method: methodName(t, event.factor),
    reasons: reasonsInWords(t, event.reasons),
  };
}

import type { Locale, MessageKey } from "../../ui/i18n";
import { translator } from "../../ui/i18n";
import { defaultTheme } from "../../ui/theme";
import type { OutgoingMessage } from "../messages/message-sender";
import { SMS_CODE_LIFETIME_MS } from "./sms-codes";

const TEXT_KEYS = { login: "sms.text.login", second_factor: "sms.text.secondFactor", verify_phone: "sms.text.verifyPhone" } as const satisfies Record<
  string,
  MessageKey
>;

/**
 * A code by text message. The last line is the origin-bound one-time code format (`@host #code`):
 * browsers that support it fill the code in on our site only, never on a look-alike.
 * @see https://wicg.github.io/sms-one-time-codes/
 */
export function smsCodeMessage(options: { to: string; code: string; purpose: keyof typeof TEXT_KEYS; locale: Locale; issuerUrl: string }): OutgoingMessage {
  const t = translator(options.locale);
  const body = t(TEXT_KEYS[options.purpose], { brand: defaultTheme.brandName, code: options.code, minutes: SMS_CODE_LIFETIME_MS / 60_000 });
  return { channel: "sms", to: options.to, subject: null, text: `${body}\n\n@${new URL(options.issuerUrl).host} #${options.code}`, html: null };
}

import type { MessageSender } from "./message-sender";

/**
 * One `MessageSender` for every channel: text messages go to `sms` (or fail when no SMS provider is
 * configured), everything else to `other`. Services keep calling `deps.sender.send(...)` whatever the channel.
 */
export function smsRoutingSender(senders: { sms: MessageSender | null; other: MessageSender }): MessageSender {
  return {
    send(message) {
      if (message.channel !== "sms") return senders.other.send(message);
      if (!senders.sms) return Promise.reject(new Error("no SMS provider is configured (SMS_API_URL)"));
      return senders.sms.send(message);
    },
  };
}

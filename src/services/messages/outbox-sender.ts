import { randomId } from "../../lib/random";
import type { Database } from "../../storage/db";
import { outboxStore } from "../../storage/outbox-store";
import type { Clock } from "../clock";
import type { MessageSender } from "./message-sender";

/** Development delivery: every message lands in the D1 outbox, readable at /dev/outbox. */
export function outboxSender(db: Database, clock: Clock): MessageSender {
  const store = outboxStore(db);
  return {
    async send(message) {
      await store.insert({
        id: randomId(),
        channel: message.channel,
        toAddress: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        createdAt: clock(),
      });
    },
  };
}

/** One message to one recipient on one channel. `text` carries every link and code in plain form. */
export interface OutgoingMessage {
  channel: "email" | "sms" | "push";
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
}

/** The provider port: an HTTP API in production, the D1 outbox in development. */
export interface MessageSender {
  send(message: OutgoingMessage): Promise<void>;
}

import type { MessageSender } from "./message-sender";

/**
 * Sends email through a transactional-mail HTTP API: POST `{from, to, subject, text, html}` as JSON with
 * `Authorization: Bearer <EMAIL_API_KEY>`. Most providers accept this shape directly or through a tiny relay.
 */
export function httpEmailSender(options: { url: string; apiKey: string | null; from: string; fetcher?: typeof fetch }): MessageSender {
  const doFetch = options.fetcher ?? fetch;
  return {
    async send(message) {
      if (message.channel !== "email") throw new Error(`the HTTP email sender cannot send ${message.channel} messages`);
      const response = await doFetch(options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ from: options.from, to: message.to, subject: message.subject, text: message.text, html: message.html }),
      });
      if (!response.ok) throw new Error(`email provider answered HTTP ${response.status}`);
    },
  };
}

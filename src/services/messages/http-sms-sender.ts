import type { MessageSender } from "./message-sender";

/**
 * Sends text messages through a Twilio-style HTTP API: `POST {url}` with the form fields `To`, `From`
 * and `Body`, authenticated with HTTP Basic `accountSid:authToken`.
 * @see https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
export function httpSmsSender(options: { url: string; accountSid: string; authToken: string; from: string; fetcher?: typeof fetch }): MessageSender {
  const doFetch = options.fetcher ?? fetch;
  const authorization = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`;
  return {
    async send(message) {
      if (message.channel !== "sms") throw new Error(`the HTTP SMS sender cannot send ${message.channel} messages`);
      const response = await doFetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization },
        body: new URLSearchParams({ To: message.to, From: options.from, Body: message.text }).toString(),
      });
      // The provider's answer may echo the number and the text: only the status is worth logging.
      if (!response.ok) throw new Error(`SMS provider answered HTTP ${response.status}`);
    },
  };
}

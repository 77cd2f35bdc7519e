import { describe, expect, it } from "vitest";
import { httpSmsSender } from "../../src/services/messages/http-sms-sender";
import type { MessageSender, OutgoingMessage } from "../../src/services/messages/message-sender";
import { smsRoutingSender } from "../../src/services/messages/sms-routing-sender";

const text: OutgoingMessage = { channel: "sms", to: "+4915123456789", subject: null, text: "123456 is your code", html: null };

function fakeFetch(status = 201) {
  const requests: Request[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(input, init));
    return new Response(JSON.stringify({ sid: "SM123", to: "+4915123456789", body: "123456 is your code" }), { status });
  }) as typeof fetch;
  return { requests, fetcher };
}

describe("HTTP SMS sender (Twilio-style API)", () => {
  it("posts To, From and Body form-encoded with HTTP Basic account SID and token", async () => {
    const { requests, fetcher } = fakeFetch();
    const sender = httpSmsSender({
      url: "https://sms.example.com/2010-04-01/Accounts/AC1/Messages.json",
      accountSid: "AC1",
      authToken: "s3cret:token",
      from: "+15005550006",
      fetcher,
    });
    await sender.send(text);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("https://sms.example.com/2010-04-01/Accounts/AC1/Messages.json");
    expect(request?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(request?.headers.get("authorization")).toBe(`Basic ${btoa("AC1:s3cret:token")}`);
    const form = new URLSearchParams(await request?.text());
    expect([...form.keys()].sort()).toEqual(["Body", "From", "To"]);
    expect(form.get("To")).toBe("+4915123456789");
    expect(form.get("From")).toBe("+15005550006");
    expect(form.get("Body")).toBe("123456 is your code");
  });

  it("fails when the provider refuses, without putting the provider's answer (number, text) in the error", async () => {
    const { fetcher } = fakeFetch(400);
    const sender = httpSmsSender({ url: "https://sms.example.com/send", accountSid: "AC1", authToken: "token", from: "+15005550006", fetcher });
    const error = await sender.send(text).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toBe("SMS provider answered HTTP 400");
  });

  it("sends only text messages", async () => {
    const { requests, fetcher } = fakeFetch();
    const sender = httpSmsSender({ url: "https://sms.example.com/send", accountSid: "AC1", authToken: "token", from: "+15005550006", fetcher });
    await expect(sender.send({ ...text, channel: "email", to: "a@example.com" })).rejects.toThrow(/cannot send email/);
    expect(requests).toHaveLength(0);
  });
});

describe("routing by channel", () => {
  function recorder() {
    const sent: OutgoingMessage[] = [];
    const sender: MessageSender = { send: async (message) => void sent.push(message) };
    return { sent, sender };
  }

  it("sends texts through the SMS provider and everything else through the other sender", async () => {
    const sms = recorder();
    const email = recorder();
    const sender = smsRoutingSender({ sms: sms.sender, other: email.sender });
    await sender.send(text);
    await sender.send({ channel: "email", to: "a@example.com", subject: "Hi", text: "Hello", html: null });
    expect(sms.sent.map((message) => message.channel)).toEqual(["sms"]);
    expect(email.sent.map((message) => message.channel)).toEqual(["email"]);
  });

  it("refuses texts when no SMS provider is configured instead of dropping them silently", async () => {
    const email = recorder();
    const sender = smsRoutingSender({ sms: null, other: email.sender });
    await expect(sender.send(text)).rejects.toThrow(/no SMS provider/);
    expect(email.sent).toHaveLength(0);
  });
});

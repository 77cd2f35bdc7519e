import { buildPushHTTPRequest } from "@pushforge/builder";
import type { PushConfig, VapidKeyPair } from "../../config";
import { checkPushEndpoint } from "./endpoint-allowlist";

/** What a push carries to the service worker (encrypted end to end; the push service sees none of it). */
export interface PushPayload {
  title: string;
  body: string;
  /** The page the notification opens when clicked. */
  url: string;
  /** Notifications with the same tag replace each other on the device. */
  tag: string;
}

export type PushOutcome = "sent" | "gone" | "refused" | "failed";

/** How a push leaves the Worker; tests pass their own. */
export type PushTransport = (url: string, init: RequestInit) => Promise<Response>;

const SEND_TIMEOUT_MS = 5_000;

/**
 * Sends one Web Push message (RFC 8030) with VAPID authentication (RFC 8292) and an encrypted payload,
 * built by @pushforge/builder. The endpoint is checked against the allowlist again right before the
 * request (the list may have changed since enrolment), redirects are never followed (a 3xx cannot send
 * us elsewhere), and the call is bounded by a timeout. `gone` (404/410) means the subscription is dead.
 */
export async function sendWebPush(
  push: Pick<PushConfig, "subject" | "endpointHosts" | "allowLoopbackEndpoints">,
  vapid: VapidKeyPair,
  subscription: { endpoint: string; p256dh: string; auth: string },
  payload: PushPayload,
  options: { ttlSeconds: number; transport?: PushTransport },
): Promise<PushOutcome> {
  const checked = checkPushEndpoint(subscription.endpoint, push);
  if (!checked.ok) return "refused";
  // @pushforge/builder only builds for https endpoints. The allowlist lets http through only for
  // development loopback endpoints; for those we build for the https form and deliver over http.
  const buildFor = checked.url.protocol === "http:" ? `https:${checked.url.href.slice("http:".length)}` : checked.url.href;
  let request: Awaited<ReturnType<typeof buildPushHTTPRequest>>;
  try {
    request = await buildPushHTTPRequest({
      privateJWK: vapid.privateJwk,
      subscription: { endpoint: buildFor, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      message: { payload: { ...payload }, adminContact: push.subject, options: { ttl: options.ttlSeconds, urgency: "high" } },
    });
  } catch {
    // Unusable subscription keys (enrolment validates them, so only a corrupted row gets here).
    return "failed";
  }
  const transport = options.transport ?? ((url, init) => fetch(url, init));
  try {
    const response = await transport(checked.url.href, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status === 404 || response.status === 410) return "gone";
    return response.status >= 200 && response.status < 300 ? "sent" : "failed";
  } catch {
    return "failed";
  }
}

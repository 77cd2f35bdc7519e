import { buildPushPayload } from "@block65/webcrypto-web-push";
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
 * Sends one Web Push message (RFC 8030) with VAPID authentication (RFC 8292, `vapid` scheme) and a
 * payload encrypted with RFC 8291's `aes128gcm` content coding (padded to a constant 4096-byte body),
 * built by @block65/webcrypto-web-push. The endpoint is checked against the allowlist again right before
 * the request (the list may have changed since enrolment), redirects are never followed (a 3xx cannot
 * send us elsewhere), and the call is bounded by a timeout. `gone` (404/410) means the subscription is dead.
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
  // The library builds only for https endpoints (the VAPID `aud` is the endpoint's origin). The allowlist
  // lets http through only for development loopback endpoints; for those we build for the https form of
  // the URL and deliver over http. Anywhere else an http endpoint never gets this far.
  const loopbackHttp = checked.url.protocol === "http:";
  if (loopbackHttp && !push.allowLoopbackEndpoints) return "refused";
  const buildFor = loopbackHttp ? `https:${checked.url.href.slice("http:".length)}` : checked.url.href;
  let request: Awaited<ReturnType<typeof buildPushPayload>>;
  try {
    request = await buildPushPayload(
      { data: { ...payload }, options: { ttl: options.ttlSeconds, urgency: "high" } },
      { endpoint: buildFor, expirationTime: null, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      // The library takes the raw private scalar `d` and the raw public point, both base64url.
      { subject: push.subject, publicKey: vapid.publicKey, privateKey: vapid.privateJwk.d },
    );
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

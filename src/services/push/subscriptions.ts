import { base64UrlDecode } from "../../lib/encoding";
import { randomId } from "../../lib/random";
import type { Database } from "../../storage/db";
import type { PushSubscriptionRow } from "../../storage/mfa-schema";
import { pushSubscriptionsStore } from "../../storage/push-subscriptions-store";
import type { UserRow } from "../../storage/schema";
import { describeUserAgent } from "../../ui/user-agent";
import { notifyFactorChange } from "../auth/factor-notices";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { checkPushEndpoint } from "./endpoint-allowlist";
import { vapidKeys } from "./vapid";

/** Enough for a phone, a laptop or two and a spare; more is more likely abuse than need. */
export const MAX_SUBSCRIPTIONS_PER_USER = 10;
export const MAX_DEVICE_NAME_LENGTH = 60;

export type EnrolProblem = "unavailable" | "endpoint" | "keys" | "name" | "limit" | "taken";

/** The subscription as the page script posts it (from `PushSubscription.toJSON()`), plus a device name. */
export interface EnrolInput {
  endpoint?: string;
  p256dh?: string;
  auth?: string;
  name?: string;
}

/** The admin API's view: every device the user enrolled for push approvals. */
export function listPushSubscriptions(db: Database, userId: string): Promise<PushSubscriptionRow[]> {
  return pushSubscriptionsStore(db).listByUser(userId);
}

/** For the admin API: removes one of the user's devices; false when the user has no such device. */
export async function deletePushSubscription(db: Database, userId: string, id: string): Promise<boolean> {
  return (await pushSubscriptionsStore(db).remove(userId, id)) !== undefined;
}

/**
 * Enrols a browser for push approvals. The endpoint must be on the push-service allowlist (our Worker will
 * POST to it), the keys must be a real P-256 point and a 16-byte auth secret (RFC 8291), and a browser
 * already enrolled by another account is refused rather than taken over.
 */
export async function enrolPushSubscription(
  deps: Deps,
  user: UserRow,
  input: EnrolInput,
  request: RequestContext,
): Promise<{ ok: true; subscription: PushSubscriptionRow } | { ok: false; problem: EnrolProblem }> {
  if (!(await vapidKeys(deps))) return { ok: false, problem: "unavailable" };
  const endpoint = input.endpoint ?? "";
  if (!checkPushEndpoint(endpoint, deps.config.push).ok) return { ok: false, problem: "endpoint" };
  // Browsers send unpadded base64url; padding is dropped so the same key is always stored the same way.
  const p256dh = (input.p256dh ?? "").replace(/=+$/, "");
  const auth = (input.auth ?? "").replace(/=+$/, "");
  if (!(await validKeys(p256dh, auth))) return { ok: false, problem: "keys" };
  const name = deviceName(input.name, request.userAgent);
  if (!name) return { ok: false, problem: "name" };
  const store = pushSubscriptionsStore(deps.db);
  const existing = await store.listByUser(user.id);
  const refresh = existing.some((row) => row.endpoint === endpoint);
  if (!refresh && existing.length >= MAX_SUBSCRIPTIONS_PER_USER) return { ok: false, problem: "limit" };
  const subscription = await store.upsert({
    id: randomId(),
    userId: user.id,
    endpoint,
    p256dh,
    auth,
    name,
    createdAt: deps.clock(),
  });
  if (!subscription) return { ok: false, problem: "taken" };
  if (!refresh) await notifyFactorChange(deps, user, { factor: "push", action: "added" }, request);
  return { ok: true, subscription };
}

export async function renamePushSubscription(deps: Pick<Deps, "db">, userId: string, id: string, name: string | undefined): Promise<boolean> {
  const clean = deviceName(name, null);
  return clean !== null && (await pushSubscriptionsStore(deps.db).rename(userId, id, clean));
}

/** Removes one of the user's devices and tells the owner; the caller has checked that the login is recent. */
export async function removePushSubscription(deps: Deps, user: UserRow, id: string, request: RequestContext): Promise<boolean> {
  const removed = await pushSubscriptionsStore(deps.db).remove(user.id, id);
  if (!removed) return false;
  await notifyFactorChange(deps, user, { factor: "push", action: "removed" }, request);
  return true;
}

/** A trimmed single-line name; empty falls back to "Chrome · Linux"-style text from the user agent. */
function deviceName(value: string | undefined, userAgent: string | null): string | null {
  const name = (value ?? "").replace(/\s+/g, " ").trim() || describeUserAgent(userAgent) || "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here.
  if (!name || [...name].length > MAX_DEVICE_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) return null;
  return name;
}

/** p256dh: an uncompressed point on P-256 (65 bytes, imported to prove it is on the curve); auth: 16 bytes. */
async function validKeys(p256dh: string, auth: string): Promise<boolean> {
  const point = base64UrlDecode(p256dh);
  const secret = base64UrlDecode(auth);
  if (point?.length !== 65 || point[0] !== 4 || !secret || secret.length !== 16) return false;
  try {
    await crypto.subtle.importKey("raw", point, { name: "ECDH", namedCurve: "P-256" }, false, []);
    return true;
  } catch {
    return false;
  }
}

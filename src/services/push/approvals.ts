import { sha256Hex } from "../../lib/hashing";
import { randomId, randomToken } from "../../lib/random";
import type { PushApprovalRow } from "../../storage/mfa-schema";
import { pushApprovalsStore } from "../../storage/push-approvals-store";
import { pushSubscriptionsStore } from "../../storage/push-subscriptions-store";
import type { UserRow } from "../../storage/schema";
import { isLocale, translator } from "../../ui/i18n";
import { describeUserAgent } from "../../ui/user-agent";
import { checkFactorAttempt, recordFactorFailure } from "../auth/factor-attempts";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { markRisk } from "../risk/marks";
import { matchingNumbers } from "./matching-numbers";
import { vapidKeys } from "./vapid";
import { type PushPayload, sendWebPush } from "./web-push";

/** An approval can be answered for two minutes (the limit); the push itself lives no longer. */
export const APPROVAL_LIFETIME_MS = 2 * 60 * 1000;
/** At most this many pushes per user per window: a stolen password must not become a notification flood. */
export const MAX_REQUESTS_PER_WINDOW = 5;
export const REQUEST_WINDOW_MS = 10 * 60 * 1000;

/** Where and on what the login was attempted, as the approval page shows it. */
export interface ApprovalContext {
  country: string | null;
  city: string | null;
  device: string | null;
}

/** What the login page polls: `expired` also covers "no request yet" and "already used". */
export type ApprovalStatus = "pending" | "approved" | "denied" | "expired";

export type RequestOutcome =
  | { ok: true; matchNumber: number; expiresAt: number }
  | { ok: false; reason: "unavailable" | "no_devices" | "undelivered" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

type PendingRef = { id: string; userId: string };

/**
 * Starts a push approval for a pending login: a fresh 256-bit token (only its SHA-256 is stored), the
 * number to match, the login's context, and a push to every enrolled device. An older open request of
 * the same login is superseded. Throttled by the user's factor backoff (UserGuard) and a per-user cap.
 */
export async function requestPushApproval(
  deps: Deps,
  user: UserRow,
  pending: PendingRef,
  place: Omit<ApprovalContext, "device">,
  request: RequestContext,
): Promise<RequestOutcome> {
  const vapid = await vapidKeys(deps);
  if (!vapid) return { ok: false, reason: "unavailable" };
  const devices = await pushSubscriptionsStore(deps.db).listByUser(user.id);
  if (devices.length === 0) return { ok: false, reason: "no_devices" };
  const gate = await checkFactorAttempt(deps, user.id);
  if (!gate.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const now = deps.clock();
  const approvals = pushApprovalsStore(deps.db);
  if ((await approvals.countSince(user.id, now - REQUEST_WINDOW_MS)) >= MAX_REQUESTS_PER_WINDOW) {
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(REQUEST_WINDOW_MS / 1000) };
  }
  const token = randomToken(32);
  const numbers = matchingNumbers();
  const context: ApprovalContext = { ...place, device: describeUserAgent(request.userAgent) };
  const id = randomId();
  await approvals.replaceOpen({
    id,
    userId: user.id,
    pendingLoginId: pending.id,
    tokenHash: await sha256Hex(token),
    matchNumber: numbers.match,
    choices: numbers.choices,
    context: { ...context },
    createdAt: now,
    expiresAt: now + APPROVAL_LIFETIME_MS,
  });
  const payload = notification(deps, user, request, context, token, id);
  const subscriptions = pushSubscriptionsStore(deps.db);
  const outcomes = await Promise.all(
    devices.map(async (device) => {
      const outcome = await sendWebPush(deps.config.push, vapid, device, payload, { ttlSeconds: APPROVAL_LIFETIME_MS / 1000 });
      // A push service that says the subscription is gone (404/410) will never deliver to it again.
      if (outcome === "gone") await subscriptions.remove(user.id, device.id);
      if (outcome === "sent") await subscriptions.touch(device.id, now);
      return outcome;
    }),
  );
  const delivered = outcomes.filter((outcome) => outcome === "sent").length;
  await deps.audit.record(
    {
      type: "mfa.push_requested",
      outcome: delivered > 0 ? "success" : "failure",
      actorType: "user",
      actorId: user.id,
      userId: user.id,
      details: { devices: devices.length, delivered },
    },
    request,
  );
  if (delivered === 0) {
    await approvals.supersede(user.id, pending.id, now);
    return { ok: false, reason: "undelivered" };
  }
  return { ok: true, matchNumber: numbers.match, expiresAt: now + APPROVAL_LIFETIME_MS };
}

/** The request behind an approval link, for the approval page (a GET never answers it). */
export async function findApproval(deps: Pick<Deps, "db">, token: string): Promise<PushApprovalRow | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return (await pushApprovalsStore(deps.db).findByTokenHash(await sha256Hex(token))) ?? null;
}

/** Whether the approval page may still take an answer. */
export function isOpen(approval: PushApprovalRow, now: number): boolean {
  return approval.status === "pending" && approval.expiresAt > now;
}

/**
 * The customer's answer on the approval page. Approves only when the picked number is the one on the
 * login screen; a wrong pick or "deny" denies, is audited as `mfa.push_denied` and counts as a failed
 * factor attempt in the user's UserGuard (a risk signal: someone has the first factor). Each request is
 * answered once: the state change is one conditional UPDATE.
 */
export async function answerPushApproval(
  deps: Deps,
  token: string,
  answer: { choice: number } | "deny",
  request: RequestContext,
): Promise<"approved" | "denied" | "wrong_number" | "closed"> {
  const approval = await findApproval(deps, token);
  if (!approval) return "closed";
  const approvals = pushApprovalsStore(deps.db);
  const now = deps.clock();
  if (answer !== "deny" && answer.choice === approval.matchNumber) {
    return (await approvals.answer(approval.id, "approved", now)) ? "approved" : "closed";
  }
  if (!(await approvals.answer(approval.id, "denied", now))) return "closed";
  const reason = answer === "deny" ? "denied_by_user" : "wrong_number";
  await deps.audit.record(
    { type: "mfa.push_denied", outcome: "failure", actorType: "user", actorId: approval.userId, userId: approval.userId, details: { reason } },
    request,
  );
  await recordFactorFailure(deps, approval.userId, "push", request);
  await markRisk(deps, approval.userId, "push_denied");
  return answer === "deny" ? "denied" : "wrong_number";
}

/** The state of this pending login's newest request, for the polling login page; never another login's. */
export async function pushApprovalStatus(deps: Pick<Deps, "db" | "clock">, pending: PendingRef): Promise<ApprovalStatus> {
  const latest = await pushApprovalsStore(deps.db).latestForLogin(pending.userId, pending.id);
  if (!latest) return "expired";
  if (latest.status === "approved" || latest.status === "denied") return latest.status;
  return latest.status === "pending" && latest.expiresAt > deps.clock() ? "pending" : "expired";
}

/** The request the waiting page shows (its number), while it is open or approved but not yet used. */
export async function currentApproval(deps: Pick<Deps, "db" | "clock">, pending: PendingRef): Promise<PushApprovalRow | null> {
  const latest = await pushApprovalsStore(deps.db).latestForLogin(pending.userId, pending.id);
  if (!latest) return null;
  return isOpen(latest, deps.clock()) || latest.status === "approved" ? latest : null;
}

/**
 * Uses this login's approval once: approved → consumed in one conditional UPDATE, so two tabs (or a
 * replayed POST) cannot both complete the login. Only an answer from the last two minutes counts.
 */
export async function consumePushApproval(deps: Pick<Deps, "db" | "clock">, pending: PendingRef): Promise<boolean> {
  return (await pushApprovalsStore(deps.db).consumeApproved(pending.userId, pending.id, deps.clock() - APPROVAL_LIFETIME_MS)) !== undefined;
}

/** The notification text, in the user's language. It never carries the number: that is on the login screen. */
function notification(deps: Deps, user: UserRow, request: RequestContext, context: ApprovalContext, token: string, id: string): PushPayload {
  const t = translator(isLocale(user.locale) ? user.locale : request.locale);
  const place = describePlace(context) ?? t("push.place.unknown");
  return {
    title: t("push.notification.title"),
    body: t("push.notification.body", { device: context.device ?? t("push.device.unknown"), place }),
    url: `${deps.config.issuerUrl}/push/approve?token=${token}`,
    tag: `gatehouse-approval-${id}`,
  };
}

/** "Berlin, DE", "DE", or null when the request carried no location. */
export function describePlace(context: Pick<ApprovalContext, "country" | "city">): string | null {
  return [context.city, context.country].filter(Boolean).join(", ") || null;
}

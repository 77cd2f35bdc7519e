import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import type { LoginObservation } from "../durable/risk-profile";
import { setSessionCookie } from "../middleware/session";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, newDevice, readDeviceId } from "../services/auth/device";
import { clearFactorFailures } from "../services/auth/factor-attempts";
import { loginPurposeOf } from "../services/auth/login-purpose";
import { acrFor, acrSatisfies, type FactorKind, mergeAmr } from "../services/auth/methods";
import { decideSecondFactor } from "../services/auth/mfa-policy";
import {
  newPendingLogin,
  openPendingLogin,
  PENDING_LOGIN_COOKIE,
  PENDING_LOGIN_LIFETIME_MS,
  type PendingLogin,
  sealPendingLogin,
} from "../services/auth/pending-login";
import { destinationAfterLogin } from "../services/profile/prompt";
import { assessLoginRisk, type FirstFactorFacts, observationOf } from "../services/risk/assess-login";
import { type RiskSummary, summaryOf } from "../services/risk/engine";
import { afterRiskDenial, afterRiskLogin } from "../services/risk/outcomes";
import { recordRiskDecision } from "../services/risk/record-decision";
import { createSession, revokeSession, type Session } from "../services/sessions";
import { askGuard } from "../storage/guards";
import { riskEventsStore } from "../storage/risk-events-store";
import type { UserRow } from "../storage/schema";
import { usersStore } from "../storage/users-store";
import { safeReturnPath } from "./page-helpers";

type Answer = { json?: boolean };

/** Sends the browser on: a 303 for forms, `{"redirect": …}` for the script-driven ceremonies (WebAuthn, push). */
function go(c: Context<AppEnv>, location: string, answer: Answer | undefined): Response {
  return answer?.json ? c.json({ redirect: location }) : c.redirect(location, 303);
}

/**
 * The browser's signed device id; a missing or forged cookie gets a fresh one (a new device). Login forms
 * call it before checking the password, so the device that succeeds is the one its backoff lane is kept for.
 */
export async function deviceOf(c: Context<AppEnv>): Promise<string> {
  const minted = c.get("mintedDeviceId");
  if (minted) return minted;
  const secret = c.get("config").keyEncryptionKey;
  const known = await readDeviceId(secret, getCookie(c, DEVICE_COOKIE));
  if (known) return known;
  const device = await newDevice(secret);
  setCookie(c, DEVICE_COOKIE, device.cookieValue, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS });
  // One device per request: a second call (the login route, then the session) must not mint another.
  c.set("mintedDeviceId", device.id);
  return device.id;
}

/** What a completed login tells its new session: its risk decision and what it adds to the account's history. */
interface LoginRiskRecord {
  risk: RiskSummary | null;
  observation: LoginObservation;
}

/** Starts the session of a completed login; the browser's previous session (if any) ends, so no id survives a login. */
async function startSession(
  c: Context<AppEnv>,
  user: UserRow,
  login: { amr: string[]; factors: FactorKind[]; endSessionId: string | null; deviceId: string; record: LoginRiskRecord },
): Promise<void> {
  const deps = c.get("deps");
  const { amr } = login;
  // Ends the browser's previous session (whoever's it was) and the one a step-up replaces.
  const ending = new Map<string, string>();
  const previous = c.get("session");
  if (previous) ending.set(previous.id, previous.userId);
  if (login.endSessionId) ending.set(login.endSessionId, user.id);
  for (const [id, userId] of ending) await revokeSession(deps, userId, id);
  const { cookieValue, session } = await createSession(deps, user.id, c.get("request"), {
    amr,
    deviceId: login.deviceId,
    observation: login.record.observation,
    ...(login.record.risk ? { risk: login.record.risk } : {}),
  });
  setSessionCookie(c, cookieValue, session.absoluteExpiresAt);
  if (login.record.risk) {
    await riskEventsStore(deps.db).attachSession(login.record.risk.eventId, session.id);
    afterRiskLogin(deps, c.get("request"), user, login.record.risk);
  }
  await deps.audit.record(
    {
      type: "user.login",
      outcome: "success",
      actorType: "user",
      actorId: user.id,
      userId: user.id,
      details: { method: login.factors.join("+"), amr, acr: acrFor(amr) },
    },
    c.get("request"),
  );
}

async function holdPending(c: Context<AppEnv>, pending: PendingLogin): Promise<void> {
  setCookie(c, PENDING_LOGIN_COOKIE, await sealPendingLogin(c.get("config").keyEncryptionKey, pending), {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: PENDING_LOGIN_LIFETIME_MS / 1000,
  });
}

/**
 * A first factor (password, passkey, magic link, email or SMS code) proved who the user is. The risk
 * engine scores the attempt (services/risk) and its decision is stored; a denied login ends here. Then the
 * MFA policy applies (the app's, else the global one; `acr_values` first; under `adaptive` the risk
 * decision) and either starts the session or holds the login in `__Host-gh_mfa` for the second step.
 */
export async function continueAfterFirstFactor(
  c: Context<AppEnv>,
  login: { user: UserRow; factor: FactorKind; amr: string[]; returnTo: string; facts?: FirstFactorFacts },
  answer?: Answer,
): Promise<Response> {
  const deps = c.get("deps");
  const request = c.get("request");
  const returnTo = safeReturnPath(login.returnTo, "/account");
  const purpose = await loginPurposeOf(deps, returnTo);
  const deviceId = await deviceOf(c);
  // RISK_ENGINE=off (benchmarks, emergencies): nothing is scored or stored, and `adaptive` asks for a second factor.
  const risk =
    c.get("config").riskEngine === "off"
      ? null
      : await assessLoginRisk(deps, request, { user: login.user, deviceId, facts: login.facts ?? { factor: login.factor }, clientRisk: purpose.clientRisk });
  let summary: RiskSummary | null = null;
  if (risk) {
    const recorded = await recordRiskDecision(deps, request, {
      user: login.user,
      clientId: purpose.clientId,
      factor: login.factor,
      assessment: risk.assessment,
    });
    summary = summaryOf(recorded.eventId, risk.assessment);
    if (risk.assessment.decision === "deny") {
      await afterRiskDenial(deps, request, login.user, recorded);
      return go(c, "/login?notice=risk_denied", answer);
    }
  }
  const decision = await decideSecondFactor(deps, login.user, login.amr, purpose, risk?.assessment.decision ?? "step_up");
  if (!decision.needed) {
    await startSession(c, login.user, {
      amr: login.amr,
      factors: [login.factor],
      endSessionId: null,
      deviceId,
      record: { risk: summary, observation: risk?.observation ?? observationOf(request, deviceId, deps.clock()) },
    });
    return go(c, await destinationAfterLogin(deps, login.user.id, returnTo, { stepUp: false }), answer);
  }
  const pending = newPendingLogin(
    { userId: login.user.id, factors: [login.factor], amr: login.amr, returnTo, requiredAcr: purpose.requiredAcr, risk: summary },
    deps.clock(),
  );
  await holdPending(c, pending);
  await deps.audit.record(
    {
      type: "mfa.required",
      outcome: "success",
      actorType: "user",
      actorId: login.user.id,
      userId: login.user.id,
      details: { reason: decision.reason, first_factor: login.factor, risk_score: risk?.assessment.score ?? null },
    },
    request,
  );
  return go(c, "/login/mfa", answer);
}

/** Factors a session's methods stand for, so a step-up asks for a different one. */
function factorsOfAmr(amr: readonly string[]): FactorKind[] {
  const factors: FactorKind[] = [];
  if (amr.includes("pwd")) factors.push("password");
  if (amr.includes("hwk") || amr.includes("swk")) factors.push("passkey");
  if (amr.includes("sms")) factors.push("sms");
  if (amr.includes("mca")) factors.push("push");
  if (amr.includes("otp")) factors.push("email");
  if (amr.includes("fed")) factors.push("federated");
  return factors;
}

/** An app asked for more than the session has (`acr_values`, or its policy requires MFA): step up in place. */
export async function startStepUp(c: Context<AppEnv>, session: Session, returnTo: string, requiredAcr: string | null): Promise<Response> {
  const pending = newPendingLogin(
    // The stepped-up session replaces this one and keeps its login's risk decision (the `gatehouse_risk` claim, the account page).
    {
      userId: session.userId,
      factors: factorsOfAmr(session.amr),
      amr: session.amr,
      returnTo,
      requiredAcr,
      stepUpSessionId: session.id,
      risk: session.risk ?? null,
    },
    c.get("deps").clock(),
  );
  await holdPending(c, pending);
  return c.redirect("/login/mfa?step_up=1", 303);
}

/** This browser's login waiting for its second factor, or null (send the browser to /login). */
export function pendingLogin(c: Context<AppEnv>): Promise<PendingLogin | null> {
  return openPendingLogin(c.get("config").keyEncryptionKey, getCookie(c, PENDING_LOGIN_COOKIE), c.get("deps").clock());
}

export function clearPendingLogin(c: Context<AppEnv>): void {
  deleteCookie(c, PENDING_LOGIN_COOKIE, { path: "/", secure: true });
}

/** Whether a second factor of this kind reaches the level the app asked for. */
export function secondFactorReaches(pending: PendingLogin, factor: FactorKind, amr: string[]): boolean {
  if (!pending.requiredAcr) return true;
  return acrSatisfies(acrFor(mergeAmr(pending.amr, amr, !pending.factors.includes(factor))), pending.requiredAcr);
}

/**
 * A second factor checked out: completes the pending login once (the user's guard refuses a second
 * completion), starts the session with both factors' methods plus `mfa`, and continues where the login was going.
 */
export async function completeSecondFactor(
  c: Context<AppEnv>,
  pending: PendingLogin,
  second: { factor: FactorKind; amr: string[] },
  answer?: Answer,
): Promise<Response> {
  const deps = c.get("deps");
  const now = deps.clock();
  clearPendingLogin(c);
  const first = await askGuard(() => deps.guards.user(pending.userId).consumePendingLogin(pending.id, pending.expiresAt, now));
  const user = first ? await usersStore(deps.db).findById(pending.userId) : undefined;
  if (!first || !user || user.status !== "active" || pending.expiresAt <= now) return go(c, "/login?notice=mfa_expired", answer);
  const amr = mergeAmr(pending.amr, second.amr, !pending.factors.includes(second.factor));
  await clearFactorFailures(deps, user.id);
  await deps.audit.record(
    {
      type: "mfa.completed",
      outcome: "success",
      actorType: "user",
      actorId: user.id,
      userId: user.id,
      details: { factor: second.factor, step_up: pending.stepUpSessionId !== null },
    },
    c.get("request"),
  );
  const deviceId = await deviceOf(c);
  await startSession(c, user, {
    amr,
    factors: [...pending.factors, second.factor],
    endSessionId: pending.stepUpSessionId,
    deviceId,
    record: { risk: pending.risk ?? null, observation: observationOf(c.get("request"), deviceId, now) },
  });
  return go(c, await destinationAfterLogin(deps, user.id, pending.returnTo, { stepUp: pending.stepUpSessionId !== null }), answer);
}

/**
 * Removing or resetting a factor needs a login at most `MFA_REAUTH_SECONDS` old: a stolen, long-lived
 * session alone cannot strip an account's protection. Null when recent enough; else a redirect to log in again.
 */
export function requireRecentLogin<E extends AppEnv>(c: Context<E>, session: Session): Response | null {
  const vars = c.var as AppEnv["Variables"];
  const maxAgeMs = vars.config.mfa.reauthSeconds * 1000;
  if (vars.deps.clock() - session.authenticatedAt <= maxAgeMs) return null;
  const back = safeReturnPath(new URL(c.req.url).pathname, "/account");
  return c.redirect(`/login?notice=reauth&return_to=${encodeURIComponent(back)}`, 303);
}

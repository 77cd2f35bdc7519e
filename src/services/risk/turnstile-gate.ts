import { askGuard } from "../../storage/guards";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { NO_VELOCITY } from "./context";
import { assessSource } from "./engine";
import { globalRates } from "./global-rates";
import { globalRiskPolicy } from "./policy";
import { type TurnstileAction, verifyTurnstile } from "./turnstile";

/** `open`: no challenge needed (or Turnstile not configured); `passed`: a valid token came with it; else the form is shown again with the widget. */
export type TurnstileOutcome = "open" | "passed" | "required" | "failed";

/**
 * Whether this source must solve a Turnstile challenge: what is known before anyone is identified (the
 * network, the edge's bot score, the source's failed logins, the service-wide rates) scored by
 * `assessSource`, from the policy's `turnstileAt`. Costs one IpGuard read; never asked when Turnstile is off.
 */
export async function sourceNeedsTurnstile(
  deps: Pick<Deps, "config" | "db" | "guards" | "clock" | "defer">,
  request: RequestContext,
  action: TurnstileAction,
): Promise<boolean> {
  if (!deps.config.turnstile) return false;
  const [policy, source] = await Promise.all([globalRiskPolicy(deps), askGuard(() => deps.guards.ip(request.ip).checkLogin(deps.clock()))]);
  const rates = globalRates(deps);
  const velocity = {
    ...NO_VELOCITY,
    sourceFailures: source.failures,
    sourceAccounts: source.accounts,
    globalFailuresPerMinute: rates.failuresPerMinute,
    globalSignupsPerMinute: rates.signupsPerMinute,
  };
  return assessSource({ edge: request.edge, velocity }, policy, action === "signup").score >= policy.turnstileAt;
}

/**
 * The Turnstile check of a login or sign-up form, before its password is looked at: a borderline source
 * must send a token siteverify accepts for this action; anything else keeps the form from being processed.
 */
export async function checkTurnstile(
  deps: Pick<Deps, "config" | "db" | "guards" | "clock" | "defer">,
  request: RequestContext,
  action: TurnstileAction,
  token: string | undefined,
): Promise<TurnstileOutcome> {
  const config = deps.config.turnstile;
  if (!config || !(await sourceNeedsTurnstile(deps, request, action))) return "open";
  if (!token) return "required";
  const verdict = await verifyTurnstile(config, token, { action, hostname: new URL(deps.config.issuerUrl).hostname, remoteIp: request.ip });
  return verdict.ok ? "passed" : "failed";
}

import { sha256Hex } from "../../lib/hashing";
import { randomToken } from "../../lib/random";
import { riskEventsStore } from "../../storage/risk-events-store";
import type { UserRow } from "../../storage/schema";
import { translator } from "../../ui/i18n";
import type { Deps } from "../deps";
import { composeEmail } from "../emails";
import type { RequestContext } from "../request-context";
import type { RiskDecision } from "./engine";
import { globalRiskPolicy, type RiskPolicy } from "./policy";
import { describeRiskEvent } from "./report-words";

/** How long the "this wasn't me" link of a notification works. */
export const REPORT_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type OwnerNotice = "riskDenied" | "riskSuspicious" | "riskNewDevice";

/**
 * Which email, if any, the owner gets about a login: every refused one; every one the engine found
 * suspicious (a step-up decision, or a score at or above the global step-up threshold even when an app's
 * own thresholds let it through); and, when the policy says so, every one from a new device. A login whose
 * only unusual trait is the new device gets the calmer "new sign-in" mail, whatever its decision.
 */
export function noticeFor(login: { decision: RiskDecision; score: number; reasons: readonly string[] }, policy: RiskPolicy): OwnerNotice | null {
  if (login.decision === "deny") return "riskDenied";
  const newDevice = policy.notifyNewDevice && login.reasons.includes("new_device");
  const otherwiseUnusual = login.reasons.some((code) => code !== "new_device" && code !== "passkey");
  if (login.decision === "step_up" || login.score >= policy.stepUpAt) return newDevice && !otherwiseUnusual ? "riskNewDevice" : "riskSuspicious";
  return newDevice ? "riskNewDevice" : null;
}

/**
 * Emails the owner about a stored login decision when `noticeFor` says so, with a "this wasn't me" link:
 * a 256-bit token of which only the SHA-256 is stored on the decision's row (single use, 7 days).
 * Runs after the response (`deps.defer`): a login never waits for it, and its timing says nothing.
 */
export async function notifyOwner(
  deps: Pick<Deps, "db" | "clock" | "config" | "sender">,
  request: RequestContext,
  user: UserRow,
  login: { eventId: string; decision: RiskDecision; score: number; reasons: readonly string[] },
): Promise<OwnerNotice | null> {
  // Most logins are quiet (score 0, a known device): no threshold can make them worth a mail, so no policy read.
  if (login.decision === "allow" && login.score <= 0 && !login.reasons.includes("new_device")) return null;
  const notice = noticeFor(login, await globalRiskPolicy(deps));
  if (!notice) return null;
  const token = randomToken(32);
  const event = await riskEventsStore(deps.db).setReportToken(login.eventId, await sha256Hex(token), deps.clock() + REPORT_LINK_LIFETIME_MS);
  if (!event) return null;
  const locale = user.locale === "de" ? "de" : request.locale;
  const t = translator(locale);
  const words = describeRiskEvent(t, locale, event);
  await deps.sender.send(
    composeEmail(
      notice,
      user.email,
      locale,
      {
        time: words.time,
        place: words.place ?? t("risk.place.unknown"),
        device: words.device ?? t("risk.device.unknown"),
        method: words.method,
        reasons: words.reasons,
        reportLink: `${deps.config.issuerUrl}/risk/report?token=${token}`,
      },
      request.theme,
    ),
  );
  return notice;
}

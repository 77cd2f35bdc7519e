import type { UserRow } from "../../storage/schema";
import { isLocale, type MessageKey, translator } from "../../ui/i18n";
import type { Deps } from "../deps";
import { composeEmail } from "../emails";
import type { RequestContext } from "../request-context";
import { markRisk } from "../risk/marks";
import type { FactorKind } from "./methods";

type ActorType = "user" | "admin";

/**
 * Tells the owner (by email, after the response) and the audit log that a way to log in was added or
 * removed: an attacker who got in and swaps the factors cannot do it silently.
 */
export async function notifyFactorChange(
  deps: Pick<Deps, "sender" | "audit" | "config" | "defer" | "guards" | "clock">,
  user: UserRow,
  change: { factor: FactorKind; action: "added" | "removed" | "reset"; actor?: ActorType; actorId?: string },
  request: RequestContext,
): Promise<void> {
  const locale = isLocale(user.locale) ? user.locale : request.locale;
  const factor = translator(locale)(`mfa.factor.${change.factor}` as MessageKey);
  const template = change.action === "added" ? "factorAdded" : change.action === "removed" ? "factorRemoved" : "mfaReset";
  deps.defer(deps.sender.send(composeEmail(template, user.email, locale, { factor, resetLink: `${deps.config.issuerUrl}/forgot` })));
  if (change.action === "added") await markRisk(deps, user.id, "factor_added");
  const actorType = change.actor ?? "user";
  await deps.audit.record(
    {
      type: change.action === "added" ? "mfa.factor_added" : change.action === "removed" ? "mfa.factor_removed" : "admin.mfa_reset",
      outcome: "success",
      actorType,
      actorId: change.actorId ?? (actorType === "user" ? user.id : undefined),
      userId: user.id,
      details: { factor: change.factor },
    },
    request,
  );
}

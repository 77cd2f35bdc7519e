import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { TURNSTILE_FIELD, type TurnstileAction } from "../services/risk/turnstile";
import { checkTurnstile, sourceNeedsTurnstile } from "../services/risk/turnstile-gate";
import type { TurnstileWidgetProps } from "../ui/pages/risk-turnstile";

/** The widget for this page, and its CSP allowance (only pages that show it let Cloudflare's challenge in). */
function showWidget(c: Context<AppEnv>, siteKey: string, action: TurnstileAction): TurnstileWidgetProps {
  c.set("cspTurnstile", true);
  return { siteKey, action };
}

/** On a form's GET: the widget when Turnstile is configured and this source is borderline already; else nothing. */
export async function turnstileWidgetFor(c: Context<AppEnv>, action: TurnstileAction): Promise<TurnstileWidgetProps | undefined> {
  const config = c.get("config").turnstile;
  if (!config || !(await sourceNeedsTurnstile(c.get("deps"), c.get("request"), action))) return undefined;
  return showWidget(c, config.siteKey, action);
}

/**
 * On a form's POST, before anything else looks at it: `problem` is the message to show again with the widget
 * when the source must pass Turnstile and did not; `widget` goes on any page the form is shown again on (a
 * token works once, so a second try needs a fresh challenge).
 */
export async function turnstileGate(
  c: Context<AppEnv>,
  form: Record<string, string>,
  action: TurnstileAction,
): Promise<{ problem: string | null; widget: TurnstileWidgetProps | undefined }> {
  const config = c.get("config").turnstile;
  const outcome = await checkTurnstile(c.get("deps"), c.get("request"), action, form[TURNSTILE_FIELD]);
  if (!config || outcome === "open") return { problem: null, widget: undefined };
  const widget = showWidget(c, config.siteKey, action);
  if (outcome === "passed") return { problem: null, widget };
  return { problem: c.get("t")(outcome === "required" ? "risk.turnstile.required" : "risk.turnstile.failed"), widget };
}

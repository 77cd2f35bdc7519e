import type { TurnstileConfig } from "../../config";
import { log } from "../../lib/log";

/** The form field the Turnstile widget fills with its token. */
export const TURNSTILE_FIELD = "cf-turnstile-response";
/** Where the widget's script comes from (the pages that show it allow this origin in their CSP). */
export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";
export const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js`;
/** How long a siteverify call may take before the request is refused. */
export const TURNSTILE_TIMEOUT_MS = 5000;
/** Cloudflare documents tokens of at most 2048 characters. */
const MAX_TOKEN_LENGTH = 2048;

/** Which form the challenge guards; the widget carries it as its action and siteverify echoes it. */
export type TurnstileAction = "login" | "signup";

export type TurnstileVerdict = { ok: true } | { ok: false; reason: "missing" | "refused" | "wrong_action" | "wrong_hostname" | "unavailable" };

/**
 * Verifies a widget token server-side (siteverify) with the secret, the visitor's address and an
 * idempotency key. Only a definite success for this action and host passes: a refusal, an error status, a
 * timeout, an unreachable endpoint or an unreadable answer all fail closed for this request.
 * @see https://developers.cloudflare.com/turnstile/get-started/server-side-validation/
 */
export async function verifyTurnstile(
  config: TurnstileConfig,
  token: string | undefined,
  expected: { action: TurnstileAction; hostname: string; remoteIp: string | null },
): Promise<TurnstileVerdict> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "missing" };
  const body = new URLSearchParams({ secret: config.secretKey, response: token, idempotency_key: crypto.randomUUID() });
  if (expected.remoteIp) body.set("remoteip", expected.remoteIp);
  let answer: Record<string, unknown>;
  try {
    const response = await fetch(config.verifyUrl, { method: "POST", body, signal: AbortSignal.timeout(TURNSTILE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`siteverify answered ${response.status}`);
    const parsed: unknown = await response.json();
    if (!parsed || typeof parsed !== "object") throw new Error("siteverify answered no object");
    answer = parsed as Record<string, unknown>;
  } catch (error) {
    log("warn", "turnstile siteverify unavailable", { error: String(error) });
    return { ok: false, reason: "unavailable" };
  }
  if (answer.success !== true) {
    const codes = Array.isArray(answer["error-codes"]) ? answer["error-codes"].filter((code) => typeof code === "string").slice(0, 5) : [];
    log("info", "turnstile token refused", { codes });
    return { ok: false, reason: "refused" };
  }
  // A token solved for another form, or on another site using the same widget, is not this form's proof.
  if (answer.action !== undefined && answer.action !== expected.action) return { ok: false, reason: "wrong_action" };
  if (answer.hostname !== undefined && answer.hostname !== expected.hostname) return { ok: false, reason: "wrong_hostname" };
  return { ok: true };
}

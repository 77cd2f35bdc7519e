import { normalizeEmail } from "../lib/email";
import { askGuard } from "../storage/guards";
import type { Deps } from "./deps";
import type { RequestContext } from "./request-context";
import { SIGNUPS_PER_IP_PER_HOUR } from "./signup";
import { type FieldErrors, normalizeName } from "./validation";

export type SignupStartCheck =
  | { ok: true; email: string; name: string | undefined }
  | { ok: false; errors: FieldErrors }
  | { ok: false; retryAfterSeconds: number };

/**
 * What every passwordless sign-up start checks first (passkey, email code, email link): a valid address, a valid
 * optional name, then the per-source sign-up limit (asked only for well-formed input, like the password sign-up).
 */
export async function checkSignupStart(deps: Deps, input: { email: unknown; name?: unknown }, request: RequestContext): Promise<SignupStartCheck> {
  const email = normalizeEmail(input.email);
  const name = normalizeName(input.name);
  const errors: FieldErrors = {};
  if (!email) errors.email = "email_invalid";
  if (name === null) errors.name = "name_invalid";
  if (!email || Object.keys(errors).length > 0) return { ok: false, errors };
  const limit = await askGuard(() => deps.guards.ip(request.ip).hit("signup", SIGNUPS_PER_IP_PER_HOUR, 3600, deps.clock()));
  if (!limit.allowed) return { ok: false, retryAfterSeconds: limit.retryAfterSeconds };
  return { ok: true, email, name: name ?? undefined };
}

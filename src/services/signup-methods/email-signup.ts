import { sha256Hex } from "../../lib/hashing";
import { randomDigits, randomToken } from "../../lib/random";
import type { UserRow } from "../../storage/schema";
import { signupRequestsStore } from "../../storage/signup-requests-store";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { EMAIL_CODE_LIFETIME_MS, requestLoginCode } from "../email-login/email-code-login";
import { MAGIC_LINK_LIFETIME_MS, requestMagicLink } from "../email-login/magic-links";
import { codeForToken } from "../email-login/one-time-codes";
import { EMAIL_SENDS_PER_ACCOUNT_PER_HOUR } from "../email-login/send-limits";
import { composeEmail } from "../emails";
import { journeyFor } from "../link-journey";
import type { RequestContext } from "../request-context";
import { checkSignupStart } from "../signup-start";
import type { FieldErrors } from "../validation";
import { insertRequest, newBinding, signupCodeHash } from "./signup-requests";

export type EmailSignupMethod = "email_code" | "magic_link";

export type EmailSignupStart =
  /** `cookie` binds the request to this browser; `magicCookie` (links only) is the login link's binding, for an address that has an account. */
  { ok: true; email: string; cookie: string; magicCookie: string | null } | { ok: false; errors: FieldErrors } | { ok: false; retryAfterSeconds: number };

/**
 * Passwordless sign-up by email, step 1. The answer, its cookies and the work before it are the same
 * whether or not the address has an account. After the response a free address gets a sign-up code or
 * link; a taken one gets the ordinary login code or link of its account (sent by the email-login
 * services, which this asks too), so its owner simply logs in. No account exists until the address is proven.
 */
export async function startEmailSignup(
  deps: Deps,
  input: { method: EmailSignupMethod; email: unknown; name?: unknown; returnTo: string | null },
  request: RequestContext,
): Promise<EmailSignupStart> {
  const checked = await checkSignupStart(deps, input, request);
  if (!checked.ok) return checked;
  const { email, name } = checked;
  // The login side: mails the account's own code or link after the response, if (and only if) the address has an account.
  const login =
    input.method === "magic_link" ? await requestMagicLink(deps, email, input.returnTo ?? "", request) : await requestLoginCode(deps, email, request);
  if (!login.ok)
    return "retryAfterSeconds" in login ? { ok: false, retryAfterSeconds: login.retryAfterSeconds } : { ok: false, errors: { email: "email_invalid" } };
  const magicCookie = "cookie" in login && typeof login.cookie === "string" ? login.cookie : null;

  const binding = await newBinding();
  const token = input.method === "magic_link" ? randomToken(32) : null;
  const code = token ? await codeForToken(deps, token) : randomDigits(6);
  const now = deps.clock();
  const lifetimeMs = token ? MAGIC_LINK_LIFETIME_MS : EMAIL_CODE_LIFETIME_MS;
  await insertRequest(deps, {
    id: binding.id,
    method: input.method,
    email,
    name: name ?? null,
    locale: request.locale,
    ...(await journeyFor(deps, input.returnTo)),
    codeHash: await signupCodeHash(deps, binding.id, code),
    tokenHash: token ? await sha256Hex(token) : null,
    browserHash: binding.browserHash,
    createdAt: now,
    expiresAt: now + lifetimeMs,
  });
  deps.defer(mailSignupSecret(deps, { id: binding.id, email, method: input.method, code, token, lifetimeMs }, request));
  return { ok: true, email, cookie: binding.cookie, magicCookie };
}

interface Secret {
  id: string;
  email: string;
  method: EmailSignupMethod | "sms";
  code: string;
  token: string | null;
  lifetimeMs: number;
}

/**
 * After the response: the sign-up code or link for a free address (at most `EMAIL_SENDS_PER_ACCOUNT_PER_HOUR`
 * sign-up mails per address and hour, against mail bombing). For a taken address the request is closed and
 * nothing is sent from here: email methods mail the login code or link instead, SMS sign-up the "someone
 * tried to sign up" notice (`notifyExistingOwner`).
 */
export async function mailSignupSecret(deps: Deps, secret: Secret, request: RequestContext, onTaken?: (owner: UserRow) => Promise<void>): Promise<void> {
  const store = signupRequestsStore(deps.db);
  const existing = await usersStore(deps.db).findByEmail(secret.email);
  if (existing) {
    await store.consume(secret.id, deps.clock());
    await deps.audit.record(
      { type: "user.signup", outcome: "failure", actorType: "anonymous", userId: existing.id, details: { method: secret.method, reason: "email_taken" } },
      request,
    );
    await onTaken?.(existing);
    return;
  }
  if ((await store.countForEmailSince(secret.email, deps.clock() - 3600_000)) > EMAIL_SENDS_PER_ACCOUNT_PER_HOUR) {
    await deps.audit.record(
      { type: "user.signup", outcome: "failure", actorType: "anonymous", details: { method: secret.method, reason: "send_capped" } },
      request,
    );
    return;
  }
  const minutes = secret.lifetimeMs / 60_000;
  const message = secret.token
    ? composeEmail(
        "signupLink",
        secret.email,
        request.locale,
        { link: `${deps.config.issuerUrl}/signup/link/${secret.token}`, code: secret.code, minutes },
        request.theme,
      )
    : composeEmail("signupCode", secret.email, request.locale, { code: secret.code, minutes }, request.theme);
  await deps.sender.send(message);
}

import { normalizeEmail } from "../../lib/email";
import { sha256Hex } from "../../lib/hashing";
import { randomDigits, randomToken } from "../../lib/random";
import { askGuard } from "../../storage/guards";
import { signupRequestsStore } from "../../storage/signup-requests-store";
import type { Deps } from "../deps";
import { checkCodeAttempt, recordCodeFailure } from "../email-login/code-attempts";
import { MAGIC_LINK_LIFETIME_MS } from "../email-login/magic-links";
import { codeForToken } from "../email-login/one-time-codes";
import { composeEmail } from "../emails";
import { journeyFor } from "../link-journey";
import type { RequestContext } from "../request-context";
import { SIGNUPS_PER_IP_PER_HOUR } from "../signup";
import { type NumberProblem, type PhoneNumber, textableNumber } from "../sms/phone-numbers";
import { allowSmsSend } from "../sms/send-limits";
import { SMS_CODE_LIFETIME_MS } from "../sms/sms-codes";
import { smsCodeMessage } from "../sms/sms-texts";
import { type FieldErrors, normalizeName } from "../validation";
import { mailSignupSecret } from "./email-signup";
import { checkRequestCode, insertRequest, newBinding, requestOfBrowser, signupCodeHash } from "./signup-requests";

export type SmsSignupStart =
  | { ok: true; email: string; phone: PhoneNumber; cookie: string }
  | { ok: false; errors: FieldErrors; phoneProblem: NumberProblem | null }
  | { ok: false; retryAfterSeconds: number };

export type SmsSignupCheck =
  | { outcome: "verified"; email: string }
  | { outcome: "failed"; phone: string }
  | { outcome: "throttled"; retryAfterSeconds: number; phone: string }
  | { outcome: "no_request" };

/**
 * SMS sign-up, step 1: the address, the mobile number and an optional name; a code is texted to the number.
 * Nothing is looked up before the answer (taken address, number on another account): every valid request
 * does the same work and gets the same page. The text counts against every SMS send limit (per number,
 * per source, per country) and the sign-up limit per source.
 */
export async function startSmsSignup(
  deps: Deps,
  input: { email: unknown; phone: unknown; name?: unknown; returnTo: string | null },
  request: RequestContext,
): Promise<SmsSignupStart> {
  const email = normalizeEmail(input.email);
  const name = normalizeName(input.name);
  const textable = textableNumber(deps.config.sms, input.phone);
  const errors: FieldErrors = {};
  if (!email) errors.email = "email_invalid";
  if (name === null) errors.name = "name_invalid";
  const phoneProblem = "problem" in textable ? textable.problem : null;
  if (!email || "problem" in textable || Object.keys(errors).length > 0) return { ok: false, errors, phoneProblem };

  const now = deps.clock();
  const limit = await askGuard(() => deps.guards.ip(request.ip).hit("signup", SIGNUPS_PER_IP_PER_HOUR, 3600, now));
  if (!limit.allowed) return { ok: false, retryAfterSeconds: limit.retryAfterSeconds };
  const sendable = await allowSmsSend(deps, textable.phone, request);
  if (!sendable.allowed) return { ok: false, retryAfterSeconds: sendable.retryAfterSeconds };

  const binding = await newBinding();
  const code = randomDigits(6);
  await insertRequest(deps, {
    id: binding.id,
    method: "sms",
    email,
    name: name ?? null,
    locale: request.locale,
    phone: textable.phone.e164,
    ...(await journeyFor(deps, input.returnTo)),
    codeHash: await signupCodeHash(deps, binding.id, code),
    browserHash: binding.browserHash,
    createdAt: now,
    expiresAt: now + SMS_CODE_LIFETIME_MS,
  });
  await deps.sender.send(smsCodeMessage({ to: textable.phone.e164, code, purpose: "verify_phone", locale: request.locale, issuerUrl: deps.config.issuerUrl }));
  await deps.audit.record(
    { type: "mfa.sms_sent", outcome: "success", actorType: "anonymous", details: { purpose: "signup", country: textable.phone.callingCode } },
    request,
  );
  return { ok: true, email, phone: textable.phone, cookie: binding.cookie };
}

/**
 * Step 2: the texted code. Failures count on the request (five tries), for the number (the guard SMS login
 * uses, named by the number's hash) and for the source. The right code proves the phone and moves the
 * request to its email step: a link (and its code) goes to a free address after the response, the "someone
 * tried to sign up" notice to a taken one. The answer is the same either way.
 */
export async function verifySmsSignupCode(deps: Deps, cookie: string | undefined, code: unknown, request: RequestContext): Promise<SmsSignupCheck> {
  const row = await requestOfBrowser(deps, cookie);
  if (row?.method !== "sms" || !row.phone) return { outcome: "no_request" };
  const phone = row.phone;
  const target = { userId: null, email: `sms:${phone}`, signup: true };
  const gate = await checkCodeAttempt(deps, target, request);
  if (!gate.allowed) return { outcome: "throttled", retryAfterSeconds: gate.retryAfterSeconds, phone };
  const now = deps.clock();
  const usable = row.consumedAt === null && row.expiresAt > now && row.phoneVerifiedAt === null;
  if (!(await checkRequestCode(deps, usable ? row : null, code))) {
    await recordCodeFailure(deps, target, "sms", request);
    return { outcome: "failed", phone };
  }
  const token = randomToken(32);
  const linkCode = await codeForToken(deps, token);
  const proven = await signupRequestsStore(deps.db).provePhone(
    row.id,
    { codeHash: await signupCodeHash(deps, row.id, linkCode), tokenHash: await sha256Hex(token), expiresAt: now + MAGIC_LINK_LIFETIME_MS },
    now,
  );
  if (!proven) return { outcome: "failed", phone };
  const secret = { id: row.id, email: row.email, method: "sms" as const, code: linkCode, token, lifetimeMs: MAGIC_LINK_LIFETIME_MS };
  deps.defer(
    mailSignupSecret(deps, secret, request, async (owner) => {
      const locale = owner.locale === "de" ? "de" : request.locale;
      const links = { loginLink: `${deps.config.issuerUrl}/login`, resetLink: `${deps.config.issuerUrl}/forgot` };
      await deps.sender.send(composeEmail("exists", owner.email, locale, links, request.theme));
    }),
  );
  return { outcome: "verified", email: row.email };
}

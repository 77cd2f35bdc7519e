import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { sha256Hex } from "../../lib/hashing";
import { randomId, randomToken } from "../../lib/random";
import { timingSafeEqualStrings } from "../../lib/timing-safe";
import { isUniqueViolation } from "../../storage/db";
import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import { webauthnChallengesStore } from "../../storage/webauthn-challenges-store";
import { webauthnCredentialsStore } from "../../storage/webauthn-credentials-store";
import type { Deps } from "../deps";
import { composeEmail } from "../emails";
import { journeyFor } from "../link-journey";
import type { RequestContext } from "../request-context";
import { checkSignupStart } from "../signup-start";
import type { FieldErrors } from "../validation";
import { rememberCeremony } from "./ceremonies";
import { checkNewPasskey, passkeyRow, registeredDetails, registrationFailed } from "./registration";
import { creationOptions } from "./relying-party";

/** How long the emailed sign-up link stays usable (it proves the address; the passkey is made after it). */
export const SIGNUP_LINK_LIFETIME_MS = 30 * 60 * 1000;

/**
 * The address step of a passwordless sign-up, kept in `webauthn_challenges` (purpose `signup`) under the
 * SHA-256 of the emailed link token: there is no account row yet to hang an email token on.
 */
interface SignupLink {
  stage: "address";
  email: string;
  name: string | null;
  locale: "en" | "de";
  /** Where the browser was headed when it asked (an authorization request), already checked by the route. */
  returnTo: string | null;
  /** The app of that journey, resolved when the link is issued (services/link-journey.ts): the link's page wears its branding. */
  clientId: string | null;
}

export type SignupRequestResult = { ok: true; email: string } | { ok: false; errors: FieldErrors } | { ok: false; retryAfterSeconds: number };
export type SignupFinishResult =
  | { ok: true; user: UserRow; deviceType: "singleDevice" | "multiDevice"; returnTo: string | null }
  | { ok: false; reason: "invalid" | "link" | "taken" };

/**
 * Step 1: emails a sign-up link. The answer, and the work done before it, is the same whether or not the
 * address has an account: the choice between "here is your link" and "you already have an account" is made
 * after the response, in the email only the address owner reads.
 */
export async function requestPasskeySignup(
  deps: Deps,
  input: { email: unknown; name?: unknown; returnTo?: string | null },
  request: RequestContext,
): Promise<SignupRequestResult> {
  const checked = await checkSignupStart(deps, input, request);
  if (!checked.ok) return checked;
  const { email, name } = checked;

  const token = randomToken(32);
  const now = deps.clock();
  const link: SignupLink = { stage: "address", email, name: name ?? null, locale: request.locale, ...(await journeyFor(deps, input.returnTo)) };
  await webauthnChallengesStore(deps.db).insert({
    challenge: await sha256Hex(token),
    purpose: "signup",
    // The id the account will get: the passkey's user handle is made from it before the account exists.
    userId: randomId(),
    context: { ...link },
    createdAt: now,
    expiresAt: now + SIGNUP_LINK_LIFETIME_MS,
  });
  deps.defer(sendSignupMail(deps, link, token, request));
  return { ok: true, email };
}

/** The address a live sign-up link is for (the page shows it) and the app whose branding it wears; a GET never uses the link up. */
export async function describeSignupLink(deps: Deps, token: string): Promise<{ email: string; clientId: string | null } | null> {
  const link = await findLink(deps, token);
  return link ? { email: link.email, clientId: link.clientId } : null;
}

/** Step 2: creation options for the new account's first passkey, tied to the link (retries allowed until it is used). */
export async function startSignupCeremony(deps: Deps, token: string): Promise<PublicKeyCredentialCreationOptionsJSON | null> {
  const link = await findLink(deps, token);
  if (!link) return null;
  const options = await creationOptions(deps.config.webauthn, { id: link.userId, email: link.email, name: link.name }, []);
  await rememberCeremony(deps, options.challenge, "signup", { userId: link.userId, context: { stage: "ceremony", link: link.hash } });
  return options;
}

/**
 * Step 3: verifies the new passkey, uses the link up (one `DELETE … RETURNING`) and creates the account with
 * its passkey in one batch: no password, address verified (the link proved it).
 */
export async function finishPasskeySignup(
  deps: Deps,
  input: { token: string; credentialJson: string | undefined; passkeyName: string },
  request: RequestContext,
): Promise<SignupFinishResult> {
  if (!isToken(input.token)) return { ok: false, reason: "link" };
  const linkHash = await sha256Hex(input.token);
  const checked = await checkNewPasskey(deps, input.credentialJson, "signup", null, async (context) =>
    context?.stage === "ceremony" && typeof context.link === "string" ? timingSafeEqualStrings(context.link, linkHash) : false,
  );
  if (!checked.ok) {
    await registrationFailed(deps, request, null, checked.reason);
    return { ok: false, reason: "invalid" };
  }
  const taken = await webauthnChallengesStore(deps.db).take(linkHash, deps.clock());
  const link = taken?.purpose === "signup" ? asLink(taken.context) : null;
  if (!taken || !link || taken.userId !== checked.ceremonyUserId) return { ok: false, reason: "link" };

  const now = deps.clock();
  const userId = checked.ceremonyUserId;
  const row = passkeyRow(userId, checked.response, checked.info, input.passkeyName, now);
  try {
    await deps.db.batch([
      usersStore(deps.db).insertStatement({
        id: userId,
        email: link.email,
        emailVerified: true,
        name: link.name,
        passwordHash: null,
        locale: link.locale,
        createdAt: now,
        updatedAt: now,
        factorsChangedAt: now,
      }),
      webauthnCredentialsStore(deps.db).insertStatement(row),
      deps.audit.statement({ type: "user.signup", outcome: "success", actorType: "anonymous", userId, details: { method: "passkey" } }, request),
      deps.audit.statement(
        { type: "user.email_verified", outcome: "success", actorType: "user", actorId: userId, userId, details: { method: "signup_link" } },
        request,
      ),
      deps.audit.statement(
        { type: "passkey.registered", outcome: "success", actorType: "user", actorId: userId, userId, details: registeredDetails(row) },
        request,
      ),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone created an account with this address since the link was sent (only the address owner sees this).
    await deps.audit.record(
      { type: "user.signup", outcome: "failure", actorType: "anonymous", details: { reason: "email_taken", method: "passkey" } },
      request,
    );
    return { ok: false, reason: "taken" };
  }
  const user = await usersStore(deps.db).findById(userId);
  return user ? { ok: true, user, deviceType: row.deviceType, returnTo: link.returnTo } : { ok: false, reason: "invalid" };
}

async function findLink(deps: Deps, token: string): Promise<(SignupLink & { userId: string; hash: string }) | null> {
  if (!isToken(token)) return null;
  const hash = await sha256Hex(token);
  const row = await webauthnChallengesStore(deps.db).find(hash, "signup", deps.clock());
  const link = row ? asLink(row.context) : null;
  return row?.userId && link ? { ...link, userId: row.userId, hash } : null;
}

function asLink(context: Record<string, unknown> | null): SignupLink | null {
  if (context?.stage !== "address" || typeof context.email !== "string") return null;
  return {
    stage: "address",
    email: context.email,
    name: typeof context.name === "string" ? context.name : null,
    locale: context.locale === "de" ? "de" : "en",
    returnTo: typeof context.returnTo === "string" ? context.returnTo : null,
    clientId: typeof context.clientId === "string" ? context.clientId : null,
  };
}

function isToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** After the response: the link for a free address, the usual "you already have an account" mail otherwise. */
async function sendSignupMail(deps: Deps, link: SignupLink, token: string, request: RequestContext): Promise<void> {
  const existing = await usersStore(deps.db).findByEmail(link.email);
  if (existing) {
    await deps.audit.record(
      { type: "user.signup", outcome: "failure", actorType: "anonymous", userId: existing.id, details: { reason: "email_taken", method: "passkey" } },
      request,
    );
    const locale = existing.locale === "de" ? "de" : link.locale;
    await deps.sender.send(
      composeEmail("exists", link.email, locale, { loginLink: `${deps.config.issuerUrl}/login`, resetLink: `${deps.config.issuerUrl}/forgot` }, request.theme),
    );
    return;
  }
  const url = `${deps.config.issuerUrl}/signup/passkey/continue?token=${token}`;
  await deps.sender.send(composeEmail("passkeySignup", link.email, link.locale, { link: url, minutes: SIGNUP_LINK_LIFETIME_MS / 60_000 }, request.theme));
}

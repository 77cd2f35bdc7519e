import { sha256Hex } from "../../lib/hashing";
import { randomId, randomToken } from "../../lib/random";
import { isUniqueViolation } from "../../storage/db";
import { factorsStore } from "../../storage/factors-store";
import type { FederatedIdentityRow, IdentityProviderRow } from "../../storage/federation-schema";
import { identitiesStore } from "../../storage/identities-store";
import { identityFlowsStore } from "../../storage/identity-flows-store";
import { profileValuesStore } from "../../storage/profile-values-store";
import type { UserRow } from "../../storage/schema";
import { usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { loadProfileSchema } from "../profile/schema";
import type { RequestContext } from "../request-context";
import { revokeAllSessions } from "../sessions";
import { refreshMappedProfile, rememberMappedStatement } from "./attribute-sync";
import { mapAttributes } from "./attributes";
import { profileTargets } from "./mapping-targets";
import { skippedFieldsStatement } from "./profile-field-sync";
import type { UpstreamProfile } from "./upstream";

/** How long an identity waits for the customer to log in to the matching account and confirm the link. */
export const PENDING_LINK_LIFETIME_MS = 10 * 60 * 1000;

export type FederatedOutcome =
  /** Log this user in (`created`: the account was just made from the upstream profile). */
  | { kind: "login"; user: UserRow; created: boolean }
  /** The identity now belongs to the account that asked to link it. */
  | { kind: "linked"; user: UserRow }
  /** An account with this address exists but may not be joined automatically: its owner logs in first. */
  | { kind: "prove_existing"; email: string; pendingToken: string }
  | { kind: "refused"; reason: "identity_taken" | "no_email" | "account_disabled" | "unverified_email" };

/**
 * The linking rules. Identities are found by (`iss`, `sub`), never by email. An upstream identity joins an
 * existing account on its own only when the provider is trusted for email, says the address is verified,
 * and the account's address is verified too. An unverified account with that address (possibly
 * pre-registered by an attacker) never captures the identity — but a trusted, verified upstream proves
 * who owns the address: the account is reclaimed, and the pre-registered password and sessions are wiped.
 */
export async function resolveFederatedLogin(
  deps: Deps,
  provider: IdentityProviderRow,
  profile: UpstreamProfile,
  linkUserId: string | null,
  request: RequestContext,
): Promise<FederatedOutcome> {
  const identities = identitiesStore(deps.db);
  const users = usersStore(deps.db);
  // The schema is read only when the provider maps into its fields (one `settings` row).
  const schema = profileTargets(provider.attributeMapping).length > 0 ? (await loadProfileSchema(deps)).fields : [];
  const mapped = mapAttributes(profile.claims, provider, schema);
  const known = await identities.findBySubject(profile.iss, profile.sub);
  const now = deps.clock();

  if (linkUserId) {
    const user = await users.findById(linkUserId);
    if (user?.status !== "active") return { kind: "refused", reason: "account_disabled" };
    if (known) return known.userId === user.id ? { kind: "linked", user } : { kind: "refused", reason: "identity_taken" };
    return (await link(deps, user, provider, profile, mapped.email, "federation.linked", request))
      ? { kind: "linked", user }
      : { kind: "refused", reason: "identity_taken" };
  }

  if (known) {
    const user = await users.findById(known.userId);
    if (user?.status !== "active") return { kind: "refused", reason: "account_disabled" };
    await identities.touch(known.id, now, mapped.email);
    const refreshed = await refreshMappedProfile(deps, { user, identity: known, provider, mapped, schema }, request);
    return { kind: "login", user: refreshed, created: false };
  }

  if (!mapped.email) return { kind: "refused", reason: "no_email" };
  const trusted = provider.trustEmail && mapped.emailVerified;
  const existing = await users.findByEmail(mapped.email);

  if (!existing) {
    // A new account takes the upstream address only when the provider vouches for it. Otherwise whoever
    // controls the upstream account could claim someone else's address, and keep logging in after the
    // real owner later verifies it (pre-hijacking the other way round): such customers sign up with
    // their email first and link the provider from the account page.
    if (!trusted) return { kind: "refused", reason: "unverified_email" };
    const userId = randomId();
    const identity = identityRow(userId, provider, profile, mapped.email, now);
    try {
      await deps.db.batch([
        users.insertStatement({
          id: userId,
          email: mapped.email,
          emailVerified: true,
          name: mapped.name,
          locale: mapped.locale ?? request.locale,
          passwordHash: null,
          createdAt: now,
          updatedAt: now,
        }),
        identities.insertStatement(identity),
        rememberMappedStatement(deps, identity.id, mapped, now),
        // Mapped profile fields count as answered: the interstitial does not ask for them.
        ...profileValuesStore(deps.db).saveStatements(userId, { set: mapped.fields.values, clear: [] }, now),
        deps.audit.statement(
          {
            type: "federation.signup",
            outcome: "success",
            actorType: "user",
            actorId: userId,
            userId,
            details: { provider: provider.id, ...(hasKeys(mapped.fields.values) ? { profile_fields: Object.keys(mapped.fields.values) } : {}) },
          },
          request,
        ),
        ...optional(skippedFieldsStatement(deps, { userId, provider, skipped: mapped.fields.skipped }, request)),
      ]);
    } catch (error) {
      // A parallel callback for the same identity (or address) won: the next attempt finds it.
      if (isUniqueViolation(error)) return { kind: "refused", reason: "identity_taken" };
      throw error;
    }
    const user = await users.findById(userId);
    if (!user) throw new Error("federated sign-up: the new account vanished");
    return { kind: "login", user, created: true };
  }

  if (existing.status !== "active") return { kind: "refused", reason: "account_disabled" };

  if (trusted && existing.emailVerified) {
    if (!(await link(deps, existing, provider, profile, mapped.email, "federation.auto_linked", request))) return { kind: "refused", reason: "identity_taken" };
    return { kind: "login", user: existing, created: false };
  }

  if (trusted && !existing.emailVerified) {
    // The upstream proved the address; whoever created this unverified account did not. Wipe what they set.
    await deps.db.batch([
      users.updateStatement(existing.id, { passwordHash: null, passwordChangedAt: now, emailVerified: true, updatedAt: now }),
      identities.insertStatement(identityRow(existing.id, provider, profile, mapped.email, now)),
      deps.audit.statement(
        {
          type: "federation.account_reclaimed",
          outcome: "success",
          actorType: "user",
          actorId: existing.id,
          userId: existing.id,
          details: { provider: provider.id },
        },
        request,
      ),
    ]);
    await revokeAllSessions(deps, existing.id);
    const user = await users.findById(existing.id);
    if (!user) throw new Error("federated reclaim: the account vanished");
    return { kind: "login", user, created: false };
  }

  // Not trusted enough to join on its own: the customer proves the existing account by logging in to it.
  const pendingToken = randomToken();
  await identityFlowsStore(deps.db).savePendingLink({
    tokenHash: await sha256Hex(pendingToken),
    providerId: provider.id,
    iss: profile.iss,
    sub: profile.sub,
    email: mapped.email,
    userId: existing.id,
    createdAt: now,
    expiresAt: now + PENDING_LINK_LIFETIME_MS,
  });
  await deps.audit.record(
    {
      type: "federation.link_pending",
      outcome: "success",
      actorType: "anonymous",
      userId: existing.id,
      details: { provider: provider.id, email_verified: mapped.emailVerified, trust_email: provider.trustEmail },
    },
    request,
  );
  return { kind: "prove_existing", email: mapped.email, pendingToken };
}

/** What a pending link is about, for the confirmation page; null when it is gone, expired or another account's. */
export async function describePendingLink(deps: Deps, token: string, userId: string): Promise<{ providerId: string; email: string | null } | null> {
  const row = await identityFlowsStore(deps.db).findPendingLink(await sha256Hex(token), deps.clock());
  return row && row.userId === userId ? { providerId: row.providerId, email: row.email } : null;
}

/** The customer logged in to the matching account and confirmed: the waiting identity joins it (once). */
export async function completePendingLink(deps: Deps, token: string, user: UserRow, request: RequestContext): Promise<"linked" | "expired" | "identity_taken"> {
  const flows = identityFlowsStore(deps.db);
  const tokenHash = await sha256Hex(token);
  const now = deps.clock();
  const row = await flows.findPendingLink(tokenHash, now);
  // Another account's pending link stays where it is: it is not this user's to take.
  if (!row || row.userId !== user.id) return "expired";
  if (!(await flows.takePendingLink(tokenHash, now))) return "expired";
  const profile: UpstreamProfile = { iss: row.iss, sub: row.sub, claims: {} };
  return (await link(deps, user, { id: row.providerId }, profile, row.email, "federation.linked", request)) ? "linked" : "identity_taken";
}

async function link(
  deps: Deps,
  user: UserRow,
  provider: Pick<IdentityProviderRow, "id">,
  profile: UpstreamProfile,
  email: string | null,
  event: "federation.linked" | "federation.auto_linked",
  request: RequestContext,
): Promise<boolean> {
  try {
    await deps.db.batch([
      identitiesStore(deps.db).insertStatement(identityRow(user.id, provider, profile, email, deps.clock())),
      deps.audit.statement(
        { type: event, outcome: "success", actorType: "user", actorId: user.id, userId: user.id, details: { provider: provider.id } },
        request,
      ),
    ]);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

function identityRow(
  userId: string,
  provider: Pick<IdentityProviderRow, "id">,
  profile: UpstreamProfile,
  email: string | null,
  now: number,
): FederatedIdentityRow {
  return { id: randomId(), userId, providerId: provider.id, iss: profile.iss, sub: profile.sub, email, createdAt: now, lastUsedAt: now };
}

/**
 * Unlinks one identity, unless it is the account's last way to log in (no password, no passkey, no other
 * identity): nobody locks themselves out from the account page.
 */
export async function unlinkIdentity(
  deps: Deps,
  user: UserRow,
  identityId: string,
  request: RequestContext,
): Promise<"unlinked" | "last_method" | "not_found"> {
  const identities = identitiesStore(deps.db);
  const linked = await identities.listForUser(user.id);
  if (!linked.some((identity) => identity.id === identityId)) return "not_found";
  const { passkeys } = await factorsStore(deps.db).counts(user.id);
  if (user.passwordHash === null && passkeys === 0 && linked.length <= 1) return "last_method";
  if (!(await identities.deleteForUser(user.id, identityId))) return "not_found";
  await deps.audit.record(
    { type: "federation.unlinked", outcome: "success", actorType: "user", actorId: user.id, userId: user.id, details: { identity_id: identityId } },
    request,
  );
  return "unlinked";
}

const hasKeys = (record: Record<string, unknown>): boolean => Object.keys(record).length > 0;
const optional = <T>(statement: T | null): T[] => (statement ? [statement] : []);

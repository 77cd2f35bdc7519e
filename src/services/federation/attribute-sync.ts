import { isUniqueViolation } from "../../storage/db";
import type { FederatedIdentityRow, IdentityProviderRow } from "../../storage/federation-schema";
import { federationSyncStore } from "../../storage/federation-sync-store";
import { profileValuesStore } from "../../storage/profile-values-store";
import type { UserRow } from "../../storage/schema";
import { type NewUser, usersStore } from "../../storage/users-store";
import type { Deps } from "../deps";
import { composeEmail } from "../emails";
import { profileAnswers } from "../profile/answers";
import type { ProfileField } from "../profile/fields";
import type { RequestContext } from "../request-context";
import type { MappedProfile } from "./attributes";
import { profileFieldChanges, rememberedFields, skippedFieldsStatement } from "./profile-field-sync";

/**
 * When mapped upstream attributes reach the profile (per provider, `attribute_sync`):
 * - `signup`: only when a federated sign-up creates the account;
 * - `unless_edited` (default): also on every later login, for each field (the name, the language, and each
 *   mapped profile-schema field) the account still holds what this identity last put there (or nothing):
 *   a value the customer (or an operator) changed since is kept.
 *   The address is not refreshed: it is how the customer logs in and recovers the account, and it
 *   changes only when they confirm a new one (or under `always`);
 * - `always`: on every login, the upstream wins (a directory that is the source of truth), the address
 *   included when the provider is trusted for email and says the new one is verified.
 */
export const ATTRIBUTE_SYNC_MODES = ["signup", "unless_edited", "always"] as const;
export type AttributeSyncMode = (typeof ATTRIBUTE_SYNC_MODES)[number];
export const DEFAULT_ATTRIBUTE_SYNC: AttributeSyncMode = "unless_edited";

export function syncModeOf(provider: Pick<IdentityProviderRow, "settings">): AttributeSyncMode {
  const mode = provider.settings?.attribute_sync;
  return (ATTRIBUTE_SYNC_MODES as readonly string[]).includes(mode ?? "") ? (mode as AttributeSyncMode) : DEFAULT_ATTRIBUTE_SYNC;
}

/** Statement remembering what an identity mapped (at sign-up, so the next login knows what is untouched). */
export function rememberMappedStatement(deps: Pick<Deps, "db">, identityId: string, mapped: MappedProfile, now: number) {
  return federationSyncStore(deps.db).saveStatement({
    identityId,
    name: mapped.name,
    email: mapped.email,
    locale: mapped.locale,
    profile: rememberedFields(null, mapped.fields),
    updatedAt: now,
  });
}

/**
 * A later login through a known identity: refreshes the profile from the upstream's current claims under
 * the provider's rule. A missing upstream value never clears a field. The address changes (under `always`
 * only) to one the provider is trusted for and says is verified — never a verified address replaced by an
 * unverified one — only if no other account has it, and the old address is told. Profile-schema fields
 * follow the same rule; an upstream value their checks refuse is skipped and audited. Returns the account now.
 */
export async function refreshMappedProfile(
  deps: Deps,
  input: { user: UserRow; identity: FederatedIdentityRow; provider: IdentityProviderRow; mapped: MappedProfile; schema: readonly ProfileField[] },
  request: RequestContext,
): Promise<UserRow> {
  const { user, identity, provider, mapped } = input;
  const mode = syncModeOf(provider);
  if (mode === "signup") return user;
  const store = federationSyncStore(deps.db);
  const last = await store.find(identity.id);
  const now = deps.clock();
  // Untouched: empty, or still what this identity put there. Without a record (an identity linked to an
  // existing account, or older than this rule), only empty fields count as untouched.
  const mayReplace = (current: string | null, previous: string | null | undefined) =>
    mode === "always" || current === null || current === "" || (previous !== undefined && previous !== null && current === previous);

  const changes: Partial<NewUser> = {};
  if (mapped.name !== null && mapped.name !== user.name && mayReplace(user.name, last?.name)) changes.name = mapped.name;
  if (mapped.locale !== null && mapped.locale !== user.locale && mayReplace(user.locale, last?.locale)) changes.locale = mapped.locale;
  const vouched = mode === "always" && mapped.email !== null && mapped.emailVerified && provider.trustEmail;
  const newEmail = vouched && mapped.email !== user.email && mayReplace(user.email, last?.email) ? mapped.email : null;
  if (newEmail) Object.assign(changes, { email: newEmail, emailVerified: true });

  const mappedKeys = Object.keys(mapped.fields.values);
  const mappedFields = input.schema.filter((field) => mappedKeys.includes(field.key));
  const current = await profileAnswers(deps, user.id, mappedFields);
  const profile = profileFieldChanges(current, mapped.fields.values, last ? (last.profile ?? {}) : null, mode);

  const remember = store.saveStatement({
    identityId: identity.id,
    name: mapped.name,
    email: mapped.email,
    locale: mapped.locale,
    profile: rememberedFields(last?.profile ?? null, mapped.fields),
    updatedAt: now,
  });
  const skipped = skippedFieldsStatement(deps, { userId: user.id, provider, skipped: mapped.fields.skipped }, request);
  const users = usersStore(deps.db);
  /** One batch: the account's columns, the profile values, what this identity mapped, and the audit entries. */
  const write = (accountChanges: Partial<NewUser>) => {
    const fields = [...Object.keys(accountChanges).filter((field) => field !== "emailVerified"), ...Object.keys(profile)];
    const statements = [
      ...(Object.keys(accountChanges).length > 0 ? [users.updateStatement(user.id, { ...accountChanges, updatedAt: now })] : []),
      ...profileValuesStore(deps.db).saveStatements(user.id, { set: profile, clear: [] }, now),
      ...(skipped ? [skipped] : []),
      ...(fields.length > 0
        ? [
            deps.audit.statement(
              {
                type: "federation.profile_synced",
                outcome: "success",
                actorType: "user",
                actorId: user.id,
                userId: user.id,
                details: { provider: provider.id, fields },
              },
              request,
            ),
          ]
        : []),
    ];
    return deps.db.batch([remember, ...statements]);
  };

  try {
    await write(changes);
  } catch (error) {
    if (!(newEmail && isUniqueViolation(error))) throw error;
    // Another account holds the new address: keep this one's, refresh the rest.
    const { email: _email, emailVerified: _verified, ...rest } = changes;
    await write(rest);
    return { ...user, ...rest };
  }
  if (newEmail) {
    const locale = (changes.locale ?? user.locale) === "de" ? "de" : "en";
    deps.defer(
      deps.sender.send(composeEmail("emailChangedNotice", user.email, locale, { newEmail, resetLink: `${deps.config.issuerUrl}/forgot` }, request.theme)),
    );
  }
  return { ...user, ...changes } as UserRow;
}

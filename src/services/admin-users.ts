import type { BatchItem } from "drizzle-orm/batch";
import { normalizeEmail } from "../lib/email";
import { randomId } from "../lib/random";
import { isUniqueViolation } from "../storage/db";
import { emailTokensStore } from "../storage/email-tokens-store";
import { oauthGrantsStore } from "../storage/oauth-grants-store";
import type { UserRow } from "../storage/schema";
import { type NewUser, usersStore } from "../storage/users-store";
import { removeAccount } from "./account";
import { ADMIN_ACTOR, type AdminFieldError, type AdminOutcome, emailTaken, invalid, notFound, ok } from "./admin-outcome";
import { decodeCursor, encodeCursor, type Page, toPage } from "./admin-paging";
import type { Deps } from "./deps";
import { checkNewPassword } from "./password-policy";
import type { RequestContext } from "./request-context";
import { revokeAllSessions } from "./sessions";
import { normalizeName } from "./validation";

export type UserLocale = "en" | "de";

/** A new account as an operator describes it; fields the routes already checked for type and control characters. */
export interface NewUserInput {
  email: string;
  password?: string;
  emailVerified?: boolean;
  name?: string | null;
  locale?: UserLocale | null;
}

/** A partial update; an absent field stays as it is, `null` clears `name` or `locale`. */
export type UserChanges = Partial<NewUserInput>;

export interface UserQuery {
  limit: number;
  cursor?: string;
  /** Exact match on the canonical address (normalized like every stored one). */
  email?: string;
  /** Substring of the canonical address. */
  q?: string;
}

const PAGE_SIZE_MAX = 200;

/**
 * Creates an account for an operator. The address is normalized, the password (optional: an account
 * without one signs in another way or resets it) must pass the same policy as self-service, and the row
 * and its audit event are written in one batch. The UNIQUE index decides between parallel creates.
 */
export async function createUser(deps: Deps, input: NewUserInput, request: RequestContext): Promise<AdminOutcome<UserRow>> {
  const email = normalizeEmail(input.email);
  const name = normalizeName(input.name);
  const errors: AdminFieldError[] = [];
  if (!email) errors.push({ field: "email", problem: "email_invalid" });
  if (name === null) errors.push({ field: "name", problem: "name_invalid" });
  const passwordProblem = input.password === undefined ? null : checkNewPassword(input.password, email, deps.config.password);
  if (passwordProblem) errors.push({ field: "password", problem: passwordProblem });
  if (!email || errors.length > 0) return invalid(errors);

  const store = usersStore(deps.db);
  // A cheap early answer for the common case; the UNIQUE index below is what makes it correct.
  if (await store.findByEmail(email)) return emailTaken;
  const now = deps.clock();
  const user: NewUser = {
    id: randomId(),
    email,
    emailVerified: input.emailVerified ?? false,
    name: name ?? null,
    passwordHash: input.password === undefined ? null : await deps.hasher.hash(input.password),
    locale: input.locale ?? null,
    createdAt: now,
    updatedAt: now,
    passwordChangedAt: input.password === undefined ? null : now,
  };
  try {
    await deps.db.batch([
      store.insertStatement(user),
      deps.audit.statement({ type: "admin.user_created", outcome: "success", ...ADMIN_ACTOR, userId: user.id, details: { fields: fieldsOf(input) } }, request),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) return emailTaken;
    throw error;
  }
  // Read back rather than echo the insert, so column defaults show as stored.
  return getUser(deps, user.id);
}

export async function getUser(deps: Deps, id: string): Promise<AdminOutcome<UserRow>> {
  const user = await usersStore(deps.db).findById(id);
  return user ? ok(user) : notFound("user");
}

/** Accounts in id order, a page at a time; `email` finds one account by its address, `q` searches within addresses. */
export async function listUsers(deps: Deps, query: UserQuery): Promise<AdminOutcome<Page<UserRow>>> {
  const errors: AdminFieldError[] = [];
  let after: string | undefined;
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    if (typeof position?.after === "string") after = position.after;
    else errors.push({ field: "cursor", problem: "cursor_invalid" });
  }
  let email: string | undefined;
  if (query.email !== undefined) {
    const normalized = normalizeEmail(query.email);
    if (normalized) email = normalized;
    else errors.push({ field: "email", problem: "email_invalid" });
  }
  if (errors.length > 0) return invalid(errors);
  const limit = Math.min(Math.max(1, query.limit), PAGE_SIZE_MAX);
  // Addresses are stored NFKC-normalized and lower-cased, so the search text is put in the same form.
  const emailContains = query.q?.trim().normalize("NFKC").toLowerCase() || undefined;
  const rows = await usersStore(deps.db).list({ after, limit: limit + 1, email, emailContains });
  return ok(toPage(rows, limit, (last) => encodeCursor({ after: last.id })));
}

/**
 * Applies an operator's changes. A new address must be free and starts unverified (unless the same
 * request says otherwise); a new address or password burns every open emailed token, since those were
 * sent for the old state, and a new password also ends every session.
 */
export async function updateUser(deps: Deps, id: string, changes: UserChanges, request: RequestContext): Promise<AdminOutcome<UserRow>> {
  const store = usersStore(deps.db);
  const user = await store.findById(id);
  if (!user) return notFound("user");

  const errors: AdminFieldError[] = [];
  const set: Partial<NewUser> = {};
  if (changes.email !== undefined) {
    const email = normalizeEmail(changes.email);
    if (!email) errors.push({ field: "email", problem: "email_invalid" });
    else if (email !== user.email) {
      set.email = email;
      set.emailVerified = false;
    }
  }
  if (changes.name !== undefined) {
    const name = normalizeName(changes.name);
    if (name === null) errors.push({ field: "name", problem: "name_invalid" });
    else set.name = name ?? null;
  }
  if (changes.emailVerified !== undefined) set.emailVerified = changes.emailVerified;
  if (changes.locale !== undefined) set.locale = changes.locale;
  if (changes.password !== undefined) {
    const problem = checkNewPassword(changes.password, set.email ?? user.email, deps.config.password);
    if (problem) errors.push({ field: "password", problem });
  }
  if (errors.length > 0) return invalid(errors);
  const fields = fieldsOf(changes);
  if (fields.length === 0) return ok(user);
  if (set.email && (await store.findByEmail(set.email))) return emailTaken;

  const now = deps.clock();
  if (changes.password !== undefined) {
    set.passwordHash = await deps.hasher.hash(changes.password);
    set.passwordChangedAt = now;
  }
  set.updatedAt = now;
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [store.updateStatement(id, set)];
  if (set.email || set.passwordHash) statements.push(emailTokensStore(deps.db).consumeAllStatement(id, now));
  statements.push(deps.audit.statement({ type: "admin.user_updated", outcome: "success", ...ADMIN_ACTOR, userId: id, details: { fields } }, request));
  try {
    await deps.db.batch(statements);
  } catch (error) {
    if (isUniqueViolation(error)) return emailTaken;
    throw error;
  }
  if (set.passwordHash) await endUserAccess(deps, id);
  return getUser(deps, id);
}

/** Deletes the account everywhere: sessions, guard state, the row and its tokens; the audit trail stays. */
export async function deleteUser(deps: Deps, id: string, request: RequestContext): Promise<AdminOutcome<null>> {
  if (!(await usersStore(deps.db).findById(id))) return notFound("user");
  await removeAccount(deps, id, { type: "admin.user_deleted", outcome: "success", ...ADMIN_ACTOR, userId: id }, request);
  return ok(null);
}

/**
 * Disables or re-enables an account. The status is written first, so no new login succeeds, then every
 * session ends (in the user's guard and at the edge): a disabled account is out at once.
 */
export async function setUserStatus(deps: Deps, id: string, status: UserRow["status"], request: RequestContext): Promise<AdminOutcome<UserRow>> {
  const store = usersStore(deps.db);
  if (!(await store.findById(id))) return notFound("user");
  await deps.db.batch([
    store.updateStatement(id, { status, updatedAt: deps.clock() }),
    deps.audit.statement(
      { type: status === "disabled" ? "admin.user_disabled" : "admin.user_enabled", outcome: "success", ...ADMIN_ACTOR, userId: id },
      request,
    ),
  ]);
  if (status === "disabled") await endUserAccess(deps, id);
  return getUser(deps, id);
}

/** Wire names of the fields an operator set, for the audit trail (names only, never values). */
function fieldsOf(input: UserChanges): string[] {
  const wire: Record<keyof UserChanges, string> = { email: "email", password: "password", emailVerified: "email_verified", name: "name", locale: "locale" };
  return (Object.keys(wire) as (keyof UserChanges)[]).filter((key) => input[key] !== undefined).map((key) => wire[key]);
}

/** A disabled account or an operator-set password ends every session and every refresh token. */
async function endUserAccess(deps: Deps, userId: string): Promise<void> {
  await revokeAllSessions(deps, userId);
  await oauthGrantsStore(deps.db).revokeByUserStatement(userId, deps.clock()).run();
}

import type { PasswordProblem } from "./password-policy";

/** Why one input field was refused; the admin routes turn each into an entry of a problem's `errors`. */
export type AdminFieldProblem = PasswordProblem | "email_invalid" | "name_invalid" | "cursor_invalid" | "invalid_client_metadata" | "invalid_redirect_uri";

export interface AdminFieldError {
  /** Wire name of the field or query parameter (`email`, `password`, `cursor`). */
  field: string;
  problem: AdminFieldProblem;
  /** The wording for this field when the problem's standard one is too vague (client metadata rules). */
  detail?: string;
}

/** What can go wrong in an admin operation, as data: the closed list the routes map to problem details. */
export type AdminProblem =
  | { kind: "invalid"; errors: AdminFieldError[] }
  | { kind: "not_found"; resource: AdminResource }
  | { kind: "email_taken" }
  | { kind: "client_without_secret" };

export type AdminResource = "user" | "session" | "client" | "factor";

export type AdminOutcome<T> = { ok: true; value: T } | { ok: false; problem: AdminProblem };

/** The audit actor for every admin action: the one admin API token (there are no admin accounts yet). */
export const ADMIN_ACTOR = { actorType: "admin", actorId: "admin_api_token" } as const;

export const ok = <T>(value: T): AdminOutcome<T> => ({ ok: true, value });
export const invalid = (errors: AdminFieldError[]): AdminOutcome<never> => ({ ok: false, problem: { kind: "invalid", errors } });
export const notFound = (resource: AdminResource): AdminOutcome<never> => ({ ok: false, problem: { kind: "not_found", resource } });
export const emailTaken: AdminOutcome<never> = { ok: false, problem: { kind: "email_taken" } };

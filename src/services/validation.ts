import type { PasswordProblem } from "./password-policy";

/** A field-level problem with user input; the UI localizes `problem`, the API reports it as a problem detail. */
export type FieldProblem = PasswordProblem | "email_invalid" | "name_invalid" | "password_required" | "wrong_password" | "same_email" | "code_invalid";

export type FieldErrors = Partial<Record<"email" | "password" | "newPassword" | "currentPassword" | "name" | "code", FieldProblem>>;

/** Display names: at most 100 characters, no control characters (so no CR/LF header tricks). */
export function normalizeName(input: unknown): string | null | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== "string") return null;
  const name = input.trim().normalize("NFKC");
  if (name.length === 0) return undefined;
  if (name.length > 100 || /\p{Cc}/u.test(name)) return null;
  return name;
}

import { z } from "@hono/zod-openapi";
import { normalizeEmail } from "../../lib/email";

/**
 * No control characters anywhere (CR/LF would let a value forge log lines, headers or email headers).
 * The ranges are Unicode's Cc category spelt out: a `u` flag would leak into the OpenAPI `pattern` as a literal `/u`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point of this pattern.
const NO_CONTROL_CHARS = /^[^\x00-\x1f\x7f-\x9f]*$/;
const text = (max: number) => z.string().max(max).regex(NO_CONTROL_CHARS, { message: "must not contain control characters", abort: true });
const time = (description: string) => z.string().openapi({ format: "date-time", description, example: "2026-11-27T09:30:00.000Z" });

const Email = text(254)
  .refine((value) => normalizeEmail(value) !== null, { message: "is not a valid email address", params: { code: "email_invalid" } })
  .openapi({ format: "email", description: "Normalized before use: trimmed, NFKC, lower-cased.", example: "ann@example.com" });
const Password = text(1024).min(1).openapi({
  description: "Checked like a self-service password: minimum length, not common, not the address. Only its hash is stored.",
  example: "correct horse battery staple",
});
const Name = text(100).nullable().openapi({ description: "Display name; `null` or blank clears it.", example: "Ann Example" });
const Locale = z.enum(["en", "de"]).nullable().openapi({ description: "Language for emails and pages; `null` follows the browser." });

export const NewUserSchema = z
  .strictObject({ email: Email, password: Password.optional(), email_verified: z.boolean().optional(), name: Name.optional(), locale: Locale.optional() })
  .openapi("NewUser", { description: "Unknown fields are refused." });

export const UserChangesSchema = z
  .strictObject({
    email: Email.optional(),
    password: Password.optional(),
    email_verified: z.boolean().optional(),
    name: Name.optional(),
    locale: Locale.optional(),
  })
  .openapi("UserChanges", {
    description:
      "Fields to change; absent fields stay. A new `email` must be free and is unverified unless `email_verified` is sent too. A new `password` ends every session. Unknown fields are refused.",
  });

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "3f0c6f0e-8a4e-4b8e-9d55-0f5b8a2c1e11" }),
    email: z.string().openapi({ example: "ann@example.com" }),
    email_verified: z.boolean(),
    name: z.string().nullable(),
    locale: z.string().nullable(),
    status: z.enum(["active", "disabled"]),
    created_at: time("When the account was created."),
    updated_at: time("When the account last changed."),
    password_changed_at: time("When the password was last set.").nullable(),
    has_password: z.boolean().openapi({ description: "Whether the account has a password (the hash is never returned)." }),
  })
  .openapi("User");

export const UserListSchema = z
  .object({
    users: z.array(UserSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; `null` on the last page." }),
  })
  .openapi("UserList");

export const SessionSchema = z
  .object({
    id: z.string().openapi({ description: "Session id (not the secret half of the cookie)." }),
    created_at: time("When the session started."),
    last_seen_at: time("Last recorded activity (updated at most every few minutes)."),
    authenticated_at: time("Last password or second-factor check in this session."),
    expires_at: time("Absolute expiry; idle expiry may come sooner."),
    ip: z.string().nullable(),
    country: z.string().nullable(),
    user_agent: z.string().nullable(),
  })
  .openapi("Session");

export const SessionListSchema = z.object({ sessions: z.array(SessionSchema) }).openapi("SessionList");

export const RevokedSessionsSchema = z
  .object({ revoked: z.number().int().openapi({ description: "How many active sessions ended." }) })
  .openapi("RevokedSessions");

export const AuditEventSchema = z
  .object({
    id: z.string(),
    occurred_at: time("When it happened."),
    type: z.string().openapi({ example: "admin.user_created" }),
    outcome: z.enum(["success", "failure"]),
    actor_type: z.enum(["user", "admin", "system", "anonymous"]),
    actor_id: z.string().nullable(),
    user_id: z.string().nullable().openapi({ description: "The account the event is about; kept after the account is deleted." }),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditEvent");

export const AuditEventListSchema = z
  .object({
    events: z.array(AuditEventSchema).openapi({ description: "Newest first." }),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next (older) page; `null` on the last page." }),
  })
  .openapi("AuditEventList");

export const FieldErrorSchema = z
  .object({
    in: z.enum(["body", "query", "path"]),
    field: z.string().optional().openapi({ description: "Wire name of the field or parameter (dotted for nested values)." }),
    pointer: z.string().optional().openapi({ description: "JSON Pointer into the request body (RFC 6901, as a URI fragment)." }),
    code: z.string().optional().openapi({ description: "Machine-readable reason, e.g. `too_short`, `common`, `email_invalid`, `unknown_field`." }),
    detail: z.string(),
  })
  .openapi("FieldError");

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "about:blank" }),
    title: z.string().openapi({ example: "Bad Request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().optional(),
    request_id: z.string().optional().openapi({ description: "Quote it when asking about this response; it is also in `X-Request-Id`." }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: "Every field that was refused." }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details (`application/problem+json`)." });

/** Page size: `limit` query parameter, 1 to 200, default 50. */
export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .openapi({ param: { name: "limit", in: "query" }, description: "Page size (1–200).", example: 50 });

export const Cursor = text(512)
  .optional()
  .openapi({ param: { name: "cursor", in: "query" }, description: "`next_cursor` from the previous page." });

export const Id = text(128).min(1);

export const UserIdParams = z.strictObject({ id: Id.openapi({ param: { name: "id", in: "path" }, description: "User id." }) });

import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { AppEnv } from "../../app-env";
import { problemResponse } from "../../lib/problem";
import type { AdminFieldError, AdminOutcome, AdminProblem, AdminResource } from "../../services/admin-outcome";
import { ProblemSchema } from "./schemas";

type FieldErrorJson = { in: "body" | "query" | "path"; field?: string; pointer?: string; code?: string; detail: string };

const LOCATIONS: Record<string, FieldErrorJson["in"]> = { json: "body", query: "query", param: "path" };

/**
 * An `OpenAPIHono` whose validation failures (zod, from `@hono/zod-openapi`) answer 400 problem details
 * listing every refused field, so nothing reaches a handler unchecked.
 */
export function adminApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => (result.success ? undefined : invalidInput(c, zodFieldErrors(LOCATIONS[result.target] ?? "body", result.error))),
  });
}

/**
 * For routes with a JSON body: anything else is a 415 that says what to send. (`@hono/zod-openapi` would
 * refuse it too, but only with the bare status phrase.)
 */
export const jsonBodyOnly = createMiddleware<AppEnv>(async (c, next) => {
  const mediaType = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") fail(c, 415, "the request body must be JSON, sent with Content-Type: application/json");
  await next();
});

/** A problem-details response carrying the request id. */
export function problem(c: Context<AppEnv>, status: number, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return problemResponse(status, detail, { request_id: c.get("requestId"), ...extensions }, headers);
}

/** Ends the request with a problem; thrown (the app's error handler returns it) so handlers only shape success. */
export function fail(c: Context<AppEnv>, status: ContentfulStatusCode, detail: string, extensions: Record<string, unknown> = {}): never {
  throw new HTTPException(status, { res: problem(c, status, detail, extensions) });
}

/**
 * The value of a successful service outcome; otherwise the request ends with the matching problem.
 * `location` says where the fields a service refuses came from (the body, or the query of a listing).
 */
export function unwrap<T>(c: Context<AppEnv>, outcome: AdminOutcome<T>, location: FieldErrorJson["in"] = "body"): T {
  if (outcome.ok) return outcome.value;
  return failWith(c, outcome.problem, location);
}

function failWith(c: Context<AppEnv>, reason: AdminProblem, location: FieldErrorJson["in"]): never {
  switch (reason.kind) {
    case "invalid":
      throw new HTTPException(400, {
        res: invalidInput(
          c,
          reason.errors.map((error) => fieldError(location, error.field.split("."), error.problem, error.detail ?? describe(c, error.problem))),
        ),
      });
    case "not_found":
      return fail(c, 404, NOT_FOUND[reason.resource]);
    case "email_taken":
      return fail(c, 409, "another account already uses this email address", {
        errors: [{ in: "body", field: "email", pointer: "#/email", code: "email_taken", detail: "is already in use" }],
      });
    case "client_without_secret":
      return fail(c, 409, "this client has no secret: its token_endpoint_auth_method is none or private_key_jwt");
  }
}

const NOT_FOUND: Record<AdminResource, string> = {
  user: "no user with this id",
  session: "no active session with this id for this user",
  client: "no client with this id",
  factor: "this user has no factor with this id",
};

function invalidInput(c: Context<AppEnv>, errors: FieldErrorJson[]): Response {
  const fields = [...new Set(errors.map((error) => error.field).filter(Boolean))];
  return problem(c, 400, fields.length > 0 ? `invalid request: ${fields.join(", ")}` : "invalid request", { errors });
}

/**
 * Zod issues as field errors; each unknown key is its own entry, named, so a client sees exactly what to drop.
 * A refinement may name its own `code` in `params` (e.g. `email_invalid`, as the services say it).
 */
function zodFieldErrors(location: FieldErrorJson["in"], error: ZodError): FieldErrorJson[] {
  return error.issues.flatMap((issue) => {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path) =>
      fieldError(
        location,
        path.map(String),
        issue.code === "unrecognized_keys"
          ? "unknown_field"
          : issue.code === "custom" && typeof issue.params?.code === "string"
            ? issue.params.code
            : issue.code,
        issue.code === "unrecognized_keys" ? "unknown field" : issue.message,
      ),
    );
  });
}

function fieldError(location: FieldErrorJson["in"], path: string[], code: string, detail: string): FieldErrorJson {
  const field = path.length > 0 ? path.join(".") : undefined;
  const pointer = location === "body" ? `#${path.map((part) => `/${part.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")}` : undefined;
  return { in: location, ...(field ? { field } : {}), ...(pointer ? { pointer } : {}), code, detail };
}

function describe(c: Context<AppEnv>, reason: AdminFieldError["problem"]): string {
  switch (reason) {
    case "too_short":
      return `must be at least ${c.get("config").password.minLength} characters`;
    case "too_long":
      return `must be at most ${c.get("config").password.maxBytes} bytes`;
    case "common":
      return "is too common (found in a list of breached or common passwords)";
    case "contains_email":
      return "must not contain the email address";
    case "repetitive":
      return "is too repetitive";
    case "email_invalid":
      return "is not a valid email address";
    case "name_invalid":
      return "must be at most 100 characters, without control characters";
    case "cursor_invalid":
      return "is not a cursor from a previous page";
    case "invalid_client_metadata":
      return "is not valid client metadata";
    case "invalid_redirect_uri":
      return "is not an acceptable redirect URI";
  }
}

const DESCRIPTIONS = {
  400: "Invalid input: malformed JSON or a refused field (listed in `errors`).",
  401: "Missing or wrong admin token (`WWW-Authenticate: Bearer`).",
  404: "No such resource.",
  409: "The email address belongs to another account.",
  413: "Request body too large.",
  415: "Request body is not `application/json`.",
} as const;

type ProblemStatus = keyof typeof DESCRIPTIONS;
type ProblemContent = { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } };

/** OpenAPI response entries for the problem statuses a route can answer (401 is added to all of them). */
export function problems<S extends ProblemStatus>(...statuses: S[]): Record<S | 401, ProblemContent> {
  const entries = [401 as const, ...statuses].map((status) => [
    status,
    { description: DESCRIPTIONS[status], content: { "application/problem+json": { schema: ProblemSchema } } },
  ]);
  return Object.fromEntries(entries) as Record<S | 401, ProblemContent>;
}

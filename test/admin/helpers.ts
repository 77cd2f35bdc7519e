import { exports } from "cloudflare:workers";
import { expect } from "vitest";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";
export const ORIGIN = "http://localhost:8787";

export interface AdminRequest {
  method?: string;
  /** Sent as JSON unless `rawBody` is given. */
  json?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** `null` sends no Authorization header. */
  token?: string | null;
}

/** Calls the worker's admin API the way an operator's script would. */
export function admin(path: string, request: AdminRequest = {}): Promise<Response> {
  const headers = new Headers(request.headers);
  const token = request.token === undefined ? ADMIN_TOKEN : request.token;
  if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
  let body: string | undefined = request.rawBody;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { method: request.method ?? (body === undefined ? "GET" : "POST"), headers, body }));
}

/** A fresh address per call, so tests never collide on the shared database. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID().slice(0, 12)}@example.com`;
}

/** A password the policy accepts. */
export function strongPassword(): string {
  return `Zebra-${crypto.randomUUID()}`;
}

export interface UserJson {
  id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  locale: string | null;
  status: "active" | "disabled";
  created_at: string;
  updated_at: string;
  password_changed_at: string | null;
  has_password: boolean;
}

export async function createUser(fields: Record<string, unknown> = {}): Promise<UserJson> {
  const response = await admin("/admin/v1/users", { json: { email: uniqueEmail(), ...fields } });
  expect(response.status).toBe(201);
  return (await response.json()) as UserJson;
}

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail?: string;
  request_id?: string;
  errors?: { in: string; field?: string; pointer?: string; code?: string; detail: string }[];
}

/** Asserts an RFC 9457 problem response and returns its body. */
export async function expectProblem(response: Response, status: number): Promise<ProblemJson> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as ProblemJson;
  expect(body).toMatchObject({ type: "about:blank", status });
  expect(typeof body.title).toBe("string");
  return body;
}

export async function findByEmail(email: string): Promise<UserJson[]> {
  const response = await admin(`/admin/v1/users?email=${encodeURIComponent(email)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { users: UserJson[] }).users;
}

import { env } from "cloudflare:workers";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Browser } from "../helpers/http";
import { linkIn, uniqueEmail, waitForMail } from "../helpers/outbox";
import type { SoftAuthenticator } from "./authenticator";

/** Posts a ceremony form the way the page script does, and reads the JSON answer. */
export async function postJson<T = Record<string, unknown>>(
  browser: Browser,
  path: string,
  fields: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await browser.post(path, fields);
  return { status: response.status, body: (await response.json()) as T };
}

export type CreationAnswer = { options: PublicKeyCredentialCreationOptionsJSON; error?: string; redirect?: string };
export type RequestAnswer = { options: PublicKeyCredentialRequestOptionsJSON; error?: string; redirect?: string };

/** Asks for a passwordless sign-up link and returns its token. */
export async function signupLinkToken(browser: Browser, email = uniqueEmail("passkey")): Promise<{ email: string; token: string }> {
  const response = await browser.post("/signup/passkey", { email });
  if (response.status !== 200) throw new Error(`sign-up request failed: ${response.status}`);
  const [mail] = await waitForMail(email);
  if (!mail) throw new Error("no sign-up mail");
  const token = new URL(linkIn(mail, "/signup/passkey/continue"), "http://localhost:8787").searchParams.get("token") ?? "";
  return { email, token };
}

/** The whole passwordless sign-up: link, passkey, account; the browser ends up logged in. */
export async function signUpWithPasskey(browser: Browser, authenticator: SoftAuthenticator): Promise<{ email: string; userId: string }> {
  const { email, token } = await signupLinkToken(browser);
  const started = await postJson<CreationAnswer>(browser, "/signup/passkey/options", { token });
  const credential = await authenticator.create(started.body.options);
  const finished = await postJson(browser, "/signup/passkey/finish", { token, credential: JSON.stringify(credential) });
  if (finished.status !== 200) throw new Error(`sign-up finish failed: ${finished.status} ${JSON.stringify(finished.body)}`);
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  if (!row) throw new Error("no account");
  return { email, userId: row.id };
}

/** A passwordless login ceremony: options, assertion (optionally bent), finish. */
export async function passkeyLogin(browser: Browser, authenticator: SoftAuthenticator, bend: Parameters<SoftAuthenticator["get"]>[1] = {}) {
  const started = await postJson<RequestAnswer>(browser, "/login/passkey/options");
  const assertion = await authenticator.get(started.body.options, bend);
  const finished = await postJson(browser, "/login/passkey", { credential: JSON.stringify(assertion) });
  return { options: started.body.options, assertion, ...finished };
}

export async function auditTypes(userId: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT type FROM audit_events WHERE user_id = ? ORDER BY occurred_at").bind(userId).all<{ type: string }>();
  return results.map((row) => row.type);
}

/** Adds a passkey to the signed-in account through /account/passkeys, as the page script does. */
export async function addPasskey(browser: Browser, authenticator: SoftAuthenticator, name = "My key", bend: Parameters<SoftAuthenticator["create"]>[1] = {}) {
  const started = await postJson<CreationAnswer>(browser, "/account/passkeys/options");
  if (!started.body.options) return { started, status: started.status, body: started.body as Record<string, unknown> };
  const credential = await authenticator.create(started.body.options, bend);
  const finished = await postJson(browser, "/account/passkeys/finish", { name, credential: JSON.stringify(credential) });
  return { started, ...finished };
}

/** Makes the browser's login look `ageMs` old (the edge copy of the session is what requireRecentLogin reads). */
export async function ageLogin(browser: Browser, ageMs: number): Promise<void> {
  const id = (browser.cookies.get("__Host-gh_session") ?? "").split(".")[0];
  const key = `session:${id}`;
  const cached = await env.SESSIONS.get<Record<string, number>>(key, "json");
  if (!cached) throw new Error("no session");
  await env.SESSIONS.put(key, JSON.stringify({ ...cached, authenticatedAt: Date.now() - ageMs }));
}

import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { base64UrlEncode } from "../../src/lib/encoding";
import { sha256Hex } from "../../src/lib/hashing";
import { randomToken } from "../../src/lib/random";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "../helpers/accounts";
import { Browser } from "../helpers/http";

/** A browser-like push subscription made in the test: a real P-256 key and 16-byte auth secret, on an FCM-style endpoint. */
export async function fakeSubscription(endpoint = `https://fcm.googleapis.com/fcm/send/${randomToken(24)}`) {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { endpoint, p256dh: base64UrlEncode(raw), auth: base64UrlEncode(crypto.getRandomValues(new Uint8Array(16))) };
}

export interface CapturedPush {
  url: string;
  headers: Headers;
  body: Uint8Array;
}

/**
 * Replaces the Worker's outbound `fetch` (tests share its isolate) with a fake push service that records
 * every request and answers `status`. Restore with `vi.restoreAllMocks()`.
 */
export function fakePushService(status = 201): CapturedPush[] {
  const captured: CapturedPush[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    captured.push({ url: request.url, headers: request.headers, body: new Uint8Array(await request.arrayBuffer()) });
    return new Response(null, { status });
  });
  return captured;
}

/** An account with one enrolled device; `owner` holds its session. */
export async function accountWithDevice() {
  const owner = new Browser();
  const email = await createVerifiedAccount(owner);
  await logIn(owner, email);
  const subscription = await fakeSubscription();
  const enrolled = await owner.post("/account/push", { ...subscription, name: "Test phone" });
  if (enrolled.status !== 303) throw new Error(`enrolment failed: ${enrolled.status}`);
  const user = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  return { owner, email, userId: user?.id ?? "", subscription };
}

/** A fresh browser that passed the password and now waits at the second step (the user has push, so MFA applies). */
export async function pendingBrowser(email: string): Promise<Browser> {
  const browser = new Browser();
  const login = await browser.post("/login", { email, password: GOOD_PASSWORD });
  if (login.headers.get("location") !== "/login/mfa") throw new Error(`expected the second step, got ${login.status} ${login.headers.get("location")}`);
  return browser;
}

/**
 * The approval link's token travels only inside the encrypted push (the e2e test decrypts it for real);
 * here the test puts a token of its own on the newest request and returns it.
 */
export async function knownToken(userId: string): Promise<{ token: string; id: string; matchNumber: number; choices: number[] }> {
  const row = await env.DB.prepare("SELECT id, match_number, choices FROM push_approvals WHERE user_id = ? ORDER BY created_at DESC LIMIT 1")
    .bind(userId)
    .first<{ id: string; match_number: number; choices: string }>();
  if (!row) throw new Error("no approval request");
  const token = randomToken(32);
  await env.DB.prepare("UPDATE push_approvals SET token_hash = ? WHERE id = ?")
    .bind(await sha256Hex(token), row.id)
    .run();
  return { token, id: row.id, matchNumber: row.match_number, choices: JSON.parse(row.choices) as number[] };
}

export async function auditTypes(userId: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT type FROM audit_events WHERE user_id = ? ORDER BY occurred_at").bind(userId).all<{ type: string }>();
  return rows.results.map((row) => row.type);
}

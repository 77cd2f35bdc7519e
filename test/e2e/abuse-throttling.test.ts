import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type Account, createVerifiedAccount } from "./support/accounts";
import { notices } from "./support/html";
import { HttpClient } from "./support/http-client";
import { newEmail, newPassword } from "./support/outbox";

/** The login defaults of src/config.ts; the worker under test runs with them. */
const FAILURES_BEFORE_BACKOFF = 5;
const IP_ACCOUNT_LIMIT = 20;
const IP_WINDOW_SECONDS = 3600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryAfter = (response: Response) => Number(response.headers.get("retry-after"));

/**
 * Fails logins for `email` until the backoff answers 429 with at least `minRetryAfter` seconds to go.
 * The first `FAILURES_BEFORE_BACKOFF` failures must never be throttled. Later blocks are short
 * (1 s, 2 s, 4 s …), so a short block is waited out and one more failure doubles the next.
 */
async function driveIntoBackoff(client: HttpClient, email: string, minRetryAfter: number): Promise<Response> {
  for (let attempt = 1; attempt <= FAILURES_BEFORE_BACKOFF; attempt++) {
    const response = await client.post("/login", { email, password: newPassword() });
    expect(response.status, `failure ${attempt} must not be throttled yet`).toBe(401);
  }
  for (let round = 0; round < 12; round++) {
    const response = await client.post("/login", { email, password: newPassword() });
    if (response.status === 429) {
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      if (retryAfter(response) >= minRetryAfter) return response;
      await sleep(retryAfter(response) * 1000 + 300);
    } else {
      expect(response.status).toBe(401);
    }
  }
  throw new Error(`no 429 with Retry-After >= ${minRetryAfter} for ${email}`);
}

/** Fails one login each for `count` different addresses from `client`. */
async function spray(client: HttpClient, count: number, statuses: number[] = []): Promise<number[]> {
  for (let first = 0; first < count; first += 5) {
    const batch = Array.from({ length: Math.min(5, count - first) }, () => client.post("/login", { email: newEmail("spray"), password: newPassword() }));
    statuses.push(...(await Promise.all(batch)).map((response) => response.status));
  }
  return statuses;
}

const logIn = (client: HttpClient, account: Account, headers: Record<string, string> = {}) =>
  client.post("/login", { email: account.email, password: account.password }, { headers });

describe("login throttling", () => {
  it(`backs off after ${FAILURES_BEFORE_BACKOFF} wrong passwords: 429 with Retry-After, even for the right password and from another address`, async () => {
    const account = await createVerifiedAccount("backoff");
    const attacker = new HttpClient();
    const blocked = await driveIntoBackoff(attacker, account.email, 3);
    expect(notices(await blocked.text())[0]).toMatch(/^Too many attempts\. Please wait \d+ seconds and try again\.$/);

    const rightPassword = await logIn(attacker, account);
    expect(rightPassword.status).toBe(429);
    expect(retryAfter(rightPassword)).toBeGreaterThanOrEqual(1);
    expect(rightPassword.headers.getSetCookie().some((line) => line.startsWith("__Host-gh_session="))).toBe(false);
    // The backoff belongs to the account name, so a fresh address does not escape it.
    const owner = new HttpClient();
    expect((await logIn(owner, account)).status).toBe(429);

    // Backoff, not a permanent lockout: once it runs out, the owner gets in.
    await sleep(retryAfter(rightPassword) * 1000 + 500);
    const later = await logIn(owner, account);
    expect(later.status).toBe(303);
    expect(later.headers.get("location")).toBe("/account");
  });

  it("throttles an unknown address exactly like a known one", async () => {
    const response = await driveIntoBackoff(new HttpClient(), newEmail("backoff-nobody"), 1);
    expect(response.status).toBe(429);
  });

  it(`blocks a client address that fails on ${IP_ACCOUNT_LIMIT} accounts (spraying) for every other account too`, async () => {
    const account = await createVerifiedAccount("spray-victim");
    const sprayer = new HttpClient();
    const statuses = await spray(sprayer, IP_ACCOUNT_LIMIT);
    expect(statuses).toEqual(Array(IP_ACCOUNT_LIMIT).fill(401));

    const blocked = await logIn(sprayer, account);
    expect(blocked.status).toBe(429);
    expect(retryAfter(blocked)).toBeGreaterThan(IP_WINDOW_SECONDS - 120);
    expect(retryAfter(blocked)).toBeLessThanOrEqual(IP_WINDOW_SECONDS);

    // A spoofed X-Forwarded-For does not move the client to another limiter key …
    for (const forwarded of ["198.51.100.9", "198.51.100.9, 203.0.113.7", "2001:db8::9"]) {
      const spoofed = await logIn(sprayer, account, { "x-forwarded-for": forwarded, "x-real-ip": forwarded, "true-client-ip": forwarded });
      expect(spoofed.status, `X-Forwarded-For: ${forwarded}`).toBe(429);
    }
    // … while the same account from another client address is not affected.
    expect((await logIn(new HttpClient(), account)).status).toBe(303);
  });

  it("counts IPv6 clients per /64 prefix", async () => {
    const account = await createVerifiedAccount("spray-v6");
    const group = randomBytes(2).readUInt16BE();
    const prefix = `2001:db8:${randomBytes(2).toString("hex")}:${group.toString(16)}`;
    const otherPrefix = `${prefix.slice(0, prefix.lastIndexOf(":"))}:${(group ^ 1).toString(16)}`;
    const statuses = await spray(new HttpClient(`${prefix}::1`), IP_ACCOUNT_LIMIT);
    expect(statuses).toEqual(Array(IP_ACCOUNT_LIMIT).fill(401));

    expect((await logIn(new HttpClient(`${prefix}:0:0:0:beef`), account)).status).toBe(429);
    expect((await logIn(new HttpClient(`${otherPrefix}::1`), account)).status).toBe(303);
  });
});

describe("mail-sending forms", () => {
  /** `RESETS_PER_IP_PER_HOUR` in src/services/password-reset.ts. */
  const RESETS_PER_SOURCE = 10;

  it(`limits password-reset requests to ${RESETS_PER_SOURCE} per source and hour`, async () => {
    const client = new HttpClient();
    for (let request = 1; request <= RESETS_PER_SOURCE; request++) {
      expect((await client.post("/forgot", { email: newEmail("reset-flood") })).status).toBe(200);
    }
    const refused = await client.post("/forgot", { email: newEmail("reset-flood") });
    expect(refused.status).toBe(429);
    expect(retryAfter(refused)).toBeGreaterThan(0);
    expect(retryAfter(refused)).toBeLessThanOrEqual(3600);
    expect((await new HttpClient().post("/forgot", { email: newEmail("reset-other") })).status).toBe(200);
  });
});

import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_REQUESTS_PER_WINDOW } from "../../src/services/push/approvals";
import { GOOD_PASSWORD } from "../helpers/accounts";
import { createTestClient, pkcePair } from "../helpers/clients";
import type { Browser } from "../helpers/http";
import { accountWithDevice, auditTypes, fakePushService, knownToken, pendingBrowser } from "./support";

afterEach(() => vi.restoreAllMocks());

async function status(browser: Browser): Promise<string> {
  const response = await browser.get("/login/mfa/push/status");
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return ((await response.json()) as { status: string }).status;
}

/** An account with a device, a browser at the second step, and a sent push whose link token the test knows. */
async function sentRequest() {
  const pushes = fakePushService();
  const account = await accountWithDevice();
  const browser = await pendingBrowser(account.email);
  const sent = await browser.post("/login/mfa/push/send", {});
  expect(sent.status).toBe(303);
  expect(sent.headers.get("location")).toBe("/login/mfa/push");
  return { ...account, browser, pushes, ...(await knownToken(account.userId)) };
}

describe("push approval as the second step", () => {
  it("sends a push to the enrolled device and shows the number to match on the login screen", async () => {
    const { browser, pushes, subscription, matchNumber, choices } = await sentRequest();
    expect(pushes.map((push) => push.url)).toEqual([subscription.endpoint]);
    expect(pushes[0]?.headers.get("ttl")).toBe("120");
    const waiting = await browser.get("/login/mfa/push");
    const html = await waiting.text();
    expect(waiting.status).toBe(200);
    expect(html).toContain(`data-testid="push-number" aria-live="polite">${matchNumber}<`);
    expect(html).toContain('action="/login/mfa/push"');
    expect(html).toContain("/login/mfa/push/status");
    expect(choices).toContain(matchNumber);
    expect(await status(browser)).toBe("pending");
    // The token is stored only as a hash.
    const row = await env.DB.prepare("SELECT token_hash FROM push_approvals WHERE match_number = ? ORDER BY created_at DESC").bind(matchNumber).first();
    expect(String(row?.token_hash)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("approves with the right number, then the login completes once with amr mca + mfa", async () => {
    const { browser, token, matchNumber, choices, userId } = await sentRequest();
    const page = await browser.get(`/push/approve?token=${token}`);
    const html = await page.text();
    for (const choice of choices) expect(html).toContain(`data-choice="${choice}"`);
    // Opening the page (a GET, e.g. a link preview) answers nothing.
    expect(await status(browser)).toBe("pending");
    const approved = await browser.post("/push/approve", { token: token, choice: String(matchNumber) });
    expect(approved.status).toBe(200);
    expect(await approved.text()).toContain("Login approved");
    expect(await status(browser)).toBe("approved");
    const replayable = browser.cookies.get("__Host-gh_mfa") ?? "";
    const done = await browser.post("/login/mfa/push", {});
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account");
    expect(browser.cookies.get("__Host-gh_session")).toBeTruthy();
    expect((await browser.get("/account")).status).toBe(200);
    const completed = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.login' ORDER BY occurred_at DESC")
      .bind(userId)
      .first<{ details: string }>();
    expect(JSON.parse(completed?.details ?? "{}")).toMatchObject({ method: "password+push", amr: expect.arrayContaining(["pwd", "mca", "mfa"]) });
    // Replaying the completion with the old pending-login cookie starts no second session.
    browser.cookies.delete("__Host-gh_session");
    browser.cookies.set("__Host-gh_mfa", replayable);
    const replay = await browser.post("/login/mfa/push", {});
    expect(browser.cookies.get("__Host-gh_session")).toBeUndefined();
    expect(replay.status).toBe(400);
    // And the answered link cannot be used again.
    expect((await browser.post("/push/approve", { token: token, choice: String(matchNumber) })).status).toBe(410);
  });

  it("two completions racing with the same pending login: exactly one session starts", async () => {
    const { browser, token, matchNumber } = await sentRequest();
    await browser.post("/push/approve", { token: token, choice: String(matchNumber) });
    const { Browser } = await import("../helpers/http");
    const twin = new Browser(browser.ip);
    for (const [name, value] of browser.cookies) twin.cookies.set(name, value);
    const results = await Promise.all([browser.post("/login/mfa/push", {}), twin.post("/login/mfa/push", {})]);
    const winners = results.filter((response) => response.headers.get("location") === "/account");
    expect(winners).toHaveLength(1);
    expect([browser, twin].filter((b) => b.cookies.has("__Host-gh_session"))).toHaveLength(1);
  });

  it("never writes the approval token to the logs", async () => {
    const { browser, token, matchNumber } = await sentRequest();
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    await browser.get(`/push/approve?token=${token}`);
    await browser.post("/push/approve", { token, choice: String(matchNumber) });
    // The access log writes paths only (and, by default, only slow or failed requests); the token is in the query.
    expect(lines.filter((line) => line.includes(token))).toEqual([]);
  });

  it("denies on a wrong number: a risk signal in the audit log and the user's factor backoff", async () => {
    const { browser, token, matchNumber, choices, userId } = await sentRequest();
    const wrong = choices.find((choice) => choice !== matchNumber) ?? 0;
    const answered = await browser.post("/push/approve", { token: token, choice: String(wrong) });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain("not the number on the login screen");
    expect(await status(browser)).toBe("denied");
    const types = await auditTypes(userId);
    expect(types).toContain("mfa.push_requested");
    expect(types).toContain("mfa.push_denied");
    expect(types).toContain("mfa.failed");
    // The right number afterwards changes nothing: the request is closed.
    expect((await browser.post("/push/approve", { token: token, choice: String(matchNumber) })).status).toBe(410);
    const done = await browser.post("/login/mfa/push", {});
    expect(done.status).toBe(400);
    expect(browser.cookies.get("__Host-gh_session")).toBeUndefined();
  });

  it("denies on 'deny', and the waiting page says so", async () => {
    const { browser, token, userId } = await sentRequest();
    const denied = await browser.post("/push/approve", { token: token, action: "deny" });
    expect(await denied.text()).toContain("Login denied");
    expect(await status(browser)).toBe("denied");
    const details = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'mfa.push_denied'")
      .bind(userId)
      .first<{ details: string }>();
    expect(JSON.parse(details?.details ?? "{}")).toEqual({ reason: "denied_by_user" });
    const done = await browser.post("/login/mfa/push", {});
    expect(await done.text()).toContain("The login was denied on your device.");
    expect(browser.cookies.get("__Host-gh_session")).toBeUndefined();
  });

  it("expires after two minutes: the link shows nothing, answers nothing, and the login page says expired", async () => {
    const { browser, token, id, matchNumber } = await sentRequest();
    await env.DB.prepare("UPDATE push_approvals SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, id)
      .run();
    expect(await status(browser)).toBe("expired");
    const page = await browser.get(`/push/approve?token=${token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).not.toContain("data-choice");
    expect((await browser.post("/push/approve", { token: token, choice: String(matchNumber) })).status).toBe(410);
    expect(await status(browser)).toBe("expired");
  });

  it("the lifetime is two minutes from the request", async () => {
    const { id } = await sentRequest();
    const row = await env.DB.prepare("SELECT created_at, expires_at FROM push_approvals WHERE id = ?")
      .bind(id)
      .first<{ created_at: number; expires_at: number }>();
    expect((row?.expires_at ?? 0) - (row?.created_at ?? 0)).toBe(120_000);
  });

  it("cannot complete before approval, and unknown or malformed tokens answer nothing", async () => {
    const { browser, matchNumber } = await sentRequest();
    const early = await browser.post("/login/mfa/push", {});
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("not approved yet");
    expect(browser.cookies.get("__Host-gh_session")).toBeUndefined();
    for (const bogus of ["x", "A".repeat(43), "../../account"]) {
      expect((await browser.get(`/push/approve?token=${encodeURIComponent(bogus)}`)).status).toBe(410);
      expect((await browser.post("/push/approve", { token: bogus, choice: String(matchNumber) })).status).toBe(410);
    }
    expect(await status(browser)).toBe("pending");
  });

  it("status polling answers only about this browser's own pending login", async () => {
    const first = await sentRequest();
    // A second login of the same user in another browser, and a browser with no login at all.
    const second = await pendingBrowser(first.email);
    const stranger = await pendingBrowser((await accountWithDevice()).email);
    await first.browser.post("/push/approve", { token: first.token, choice: String(first.matchNumber) });
    expect(await status(first.browser)).toBe("approved");
    expect(await status(second)).toBe("expired");
    expect(await status(stranger)).toBe("expired");
    const { Browser } = await import("../helpers/http");
    expect(await status(new Browser())).toBe("expired");
    // Neither can complete with the first browser's approval.
    expect((await second.post("/login/mfa/push", {})).status).toBe(400);
    expect(second.cookies.get("__Host-gh_session")).toBeUndefined();
    expect((await stranger.post("/login/mfa/push", {})).status).toBe(400);
  });

  it("skipping the first factor gets nothing: every push step needs a pending login", async () => {
    const { Browser } = await import("../helpers/http");
    const visitor = new Browser();
    for (const [method, path] of [
      ["POST", "/login/mfa/push/send"],
      ["POST", "/login/mfa/push"],
      ["GET", "/login/mfa/push"],
    ] as const) {
      const response = method === "GET" ? await visitor.get(path) : await visitor.post(path, {});
      expect(response.status, path).toBe(303);
      expect(response.headers.get("location"), path).toMatch(/^\/login\?notice=mfa_expired/);
    }
  });

  it("an app that asked for a passkey (acr loa:3) gets no push: push cannot reach that level", async () => {
    const pushes = fakePushService();
    const { email } = await accountWithDevice();
    const client = await createTestClient({ mfa_policy: "required" });
    const { challenge } = await pkcePair();
    const query = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: "openid",
      code_challenge: challenge,
      code_challenge_method: "S256",
      acr_values: "urn:gatehouse:loa:3",
    });
    const { Browser } = await import("../helpers/http");
    const browser = new Browser();
    const toLogin = await browser.get(`/authorize?${query}`);
    const returnTo = new URL(`http://x${toLogin.headers.get("location")}`).searchParams.get("return_to") ?? "";
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    expect(login.headers.get("location")).toBe("/login/mfa");
    const sent = await browser.post("/login/mfa/push/send", {});
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe("/login/mfa");
    expect(pushes).toHaveLength(0);
  });

  it("a new request replaces the open one: the old link can no longer approve", async () => {
    const { browser, token, matchNumber, userId } = await sentRequest();
    expect((await browser.post("/login/mfa/push/send", {})).status).toBe(303);
    expect((await browser.post("/push/approve", { token: token, choice: String(matchNumber) })).status).toBe(410);
    const next = await knownToken(userId);
    expect((await browser.post("/push/approve", { token: next.token, choice: String(next.matchNumber) })).status).toBe(200);
    expect(await status(browser)).toBe("approved");
  });

  it(`caps requests at ${MAX_REQUESTS_PER_WINDOW} per user in ten minutes (no notification flood)`, async () => {
    const { browser, pushes } = await sentRequest();
    for (let i = 1; i < MAX_REQUESTS_PER_WINDOW; i++) expect((await browser.post("/login/mfa/push/send", {})).status).toBe(303);
    const flood = await browser.post("/login/mfa/push/send", {});
    expect(flood.status).toBe(429);
    expect(Number(flood.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(pushes).toHaveLength(MAX_REQUESTS_PER_WINDOW);
  });

  it("a push service that cannot deliver leaves no usable request; a gone subscription is removed", async () => {
    fakePushService(500);
    const failing = await accountWithDevice();
    const browser = await pendingBrowser(failing.email);
    const sent = await browser.post("/login/mfa/push/send", {});
    expect(sent.status).toBe(502);
    expect(await sent.text()).toContain("could not reach any of your devices");
    expect(await status(browser)).toBe("expired");
    vi.restoreAllMocks();
    fakePushService(410);
    const gone = await accountWithDevice();
    const other = await pendingBrowser(gone.email);
    expect((await other.post("/login/mfa/push/send", {})).status).toBe(502);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM push_subscriptions WHERE user_id = ?").bind(gone.userId).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});

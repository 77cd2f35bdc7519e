import { describe, expect, it } from "vitest";
import { Browser } from "../helpers/http";
import { admin, createUser, expectProblem, strongPassword, type UserJson } from "./helpers";

interface SessionJson {
  id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

/** A verified user with a password, and a browser logged in as that user. */
async function loggedInUser(): Promise<{ user: UserJson; browser: Browser; password: string }> {
  const password = strongPassword();
  const user = await createUser({ password, email_verified: true });
  const browser = await logIn(user.email, password);
  return { user, browser, password };
}

async function logIn(email: string, password: string): Promise<Browser> {
  const browser = new Browser();
  const response = await browser.post("/login", { email, password });
  expect(response.status).toBe(303);
  expect(browser.cookies.has("__Host-gh_session")).toBe(true);
  return browser;
}

/** Whether the browser's session still opens the account page (which checks the session with the user's guard). */
async function sessionPasses(browser: Browser): Promise<boolean> {
  const response = await browser.get("/account");
  if (response.status === 200) return true;
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toMatch(/^\/login/);
  return false;
}

async function sessionsOf(userId: string): Promise<SessionJson[]> {
  const response = await admin(`/admin/v1/users/${userId}/sessions`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { sessions: SessionJson[] }).sessions;
}

describe("disabling and enabling users", () => {
  it("disable ends every session at once and blocks login; enable allows login again but revives no session", async () => {
    const { user, browser, password } = await loggedInUser();
    const second = await logIn(user.email, password);
    expect(await sessionPasses(browser)).toBe(true);
    expect(await sessionsOf(user.id)).toHaveLength(2);

    const disabled = await admin(`/admin/v1/users/${user.id}/disable`, { method: "POST" });
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as UserJson).status).toBe("disabled");
    expect(await sessionsOf(user.id)).toEqual([]);
    expect(await sessionPasses(browser)).toBe(false);
    expect(await sessionPasses(second)).toBe(false);
    const refused = await new Browser().post("/login", { email: user.email, password });
    expect(refused.status).not.toBe(303);

    const enabled = await admin(`/admin/v1/users/${user.id}/enable`, { method: "POST" });
    expect(((await enabled.json()) as UserJson).status).toBe("active");
    // The old cookie stays dead (it was revoked, not merely blocked by the status)...
    expect(await sessionPasses(second)).toBe(false);
    // ...and the user can sign in afresh.
    expect(await sessionPasses(await logIn(user.email, password))).toBe(true);
  });

  it("answers 404 for unknown users", async () => {
    await expectProblem(await admin(`/admin/v1/users/${crypto.randomUUID()}/disable`, { method: "POST" }), 404);
    await expectProblem(await admin(`/admin/v1/users/${crypto.randomUUID()}/enable`, { method: "POST" }), 404);
  });
});

describe("a user's sessions", () => {
  it("lists active sessions with their metadata, never the secret", async () => {
    const { user, browser } = await loggedInUser();
    const [session, ...rest] = await sessionsOf(user.id);
    expect(rest).toEqual([]);
    expect(session).toMatchObject({ ip: browser.ip });
    const cookie = browser.cookies.get("__Host-gh_session") ?? "";
    expect(cookie.startsWith(`${session?.id}.`)).toBe(true);
    expect(JSON.stringify(session)).not.toContain(cookie.split(".")[1]);
  });

  it("revokes one session (204), leaving the others, and 404s an unknown or foreign session id", async () => {
    const { user, browser, password } = await loggedInUser();
    const other = await logIn(user.email, password);
    const target = (browser.cookies.get("__Host-gh_session") ?? "").split(".")[0] ?? "";
    const response = await admin(`/admin/v1/users/${user.id}/sessions/${target}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await sessionPasses(browser)).toBe(false);
    expect(await sessionPasses(other)).toBe(true);
    await expectProblem(await admin(`/admin/v1/users/${user.id}/sessions/${target}`, { method: "DELETE" }), 404);

    const stranger = await loggedInUser();
    const foreign = (stranger.browser.cookies.get("__Host-gh_session") ?? "").split(".")[0] ?? "";
    await expectProblem(await admin(`/admin/v1/users/${user.id}/sessions/${foreign}`, { method: "DELETE" }), 404);
    expect(await sessionPasses(stranger.browser)).toBe(true);
  });

  it("revokes all sessions and says how many ended", async () => {
    const { user, browser, password } = await loggedInUser();
    const other = await logIn(user.email, password);
    const response = await admin(`/admin/v1/users/${user.id}/sessions`, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ revoked: 2 });
    expect(await sessionPasses(browser)).toBe(false);
    expect(await sessionPasses(other)).toBe(false);
  });

  it("a new password set by an admin ends every session", async () => {
    const { user, browser } = await loggedInUser();
    expect((await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { password: strongPassword() } })).status).toBe(200);
    expect(await sessionPasses(browser)).toBe(false);
  });

  it("a deleted user's session no longer passes", async () => {
    const { user, browser } = await loggedInUser();
    expect((await admin(`/admin/v1/users/${user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await sessionPasses(browser)).toBe(false);
  });

  it("answers 404 for the sessions of an unknown user", async () => {
    await expectProblem(await admin(`/admin/v1/users/${crypto.randomUUID()}/sessions`), 404);
    await expectProblem(await admin(`/admin/v1/users/${crypto.randomUUID()}/sessions`, { method: "DELETE" }), 404);
  });
});

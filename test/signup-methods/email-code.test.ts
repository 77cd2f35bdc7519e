import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "../helpers/accounts";
import { createTestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { pausedAuthorization } from "../helpers/oidc";
import { uniqueEmail } from "../helpers/outbox";
import { codeOf, cookieNames, expectLoggedIn, mailWithSubject, requestRows, samePage, usersWith } from "./support";

async function start(browser: Browser, email: string, fields: Record<string, string> = {}) {
  const response = await browser.post("/signup/code", { email, ...fields });
  expect(response.status).toBe(200);
  return response;
}

describe("sign-up by email code (/signup/code)", () => {
  it("creates the account only when the code comes back: verified address, no password, logged in, back to return_to", async () => {
    const browser = new Browser();
    const client = await createTestClient();
    const { returnTo } = await pausedAuthorization(browser, client);
    const email = uniqueEmail("code-signup");
    const page = await (await start(browser, email, { name: "Ada Code", return_to: returnTo })).text();
    expect(page).toContain('action="/signup/code/verify"');
    expect(page).toContain('autocomplete="one-time-code"');
    expect(browser.cookies.get("__Host-gh_signup")).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(await usersWith(email)).toEqual([]);
    const code = codeOf(await mailWithSubject(email, /^Your sign-up code: \d{6}$/));
    // Only hashes are stored.
    const [row] = await requestRows(email);
    expect(row?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.code_hash).not.toContain(code);

    const done = await browser.post("/signup/code/verify", { code });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(returnTo);
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
    expect(browser.cookies.has("__Host-gh_signup")).toBe(false);
    const [user] = await usersWith(email);
    expect(user).toMatchObject({ email_verified: 1, password_hash: null, name: "Ada Code", phone: null });
    const audit = await env.DB.prepare("SELECT type, details FROM audit_events WHERE user_id = ? ORDER BY occurred_at")
      .bind(user?.id)
      .all<{ type: string; details: string }>();
    const types = audit.results.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["user.signup", "user.email_verified", "user.login"]));
    const login = audit.results.find((event) => event.type === "user.login");
    expect(JSON.parse(login?.details ?? "{}").amr).toEqual(["otp"]);
  });

  it("answers a taken address exactly like a free one; its owner gets the ordinary login code and simply logs in", async () => {
    const owner = await createVerifiedAccount(new Browser());
    const free = uniqueEmail("free");
    const takenResponse = await start(new Browser(), owner);
    const freeResponse = await start(new Browser(), free);
    expect(cookieNames(takenResponse)).toEqual(cookieNames(freeResponse));
    expect(samePage(await takenResponse.text()).replaceAll(owner, "X")).toBe(samePage(await freeResponse.text()).replaceAll(free, "X"));

    const browser = new Browser();
    await start(browser, owner);
    // The verification mail, the first start's login code, then this one's (newest first; it replaced the other).
    const loginCode = codeOf(await mailWithSubject(owner, /^Your login code: \d{6}$/, 3));
    const [before] = await usersWith(owner);
    await expectLoggedIn(browser, await browser.post("/signup/code/verify", { code: loginCode }));
    const after = await usersWith(owner);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before?.id);
    expect(after[0]?.password_hash).toBe(before?.password_hash);
    // No sign-up mail went to the owner, and the sign-up request was closed.
    expect((await requestRows(owner)).every((row) => row.consumed_at !== null)).toBe(true);
  });

  it("refuses a wrong code, and five wrong ones use the request up (the right code no longer works)", async () => {
    const browser = new Browser();
    const email = uniqueEmail("wrong-code");
    await start(browser, email);
    const code = codeOf(await mailWithSubject(email, /^Your sign-up code/));
    const wrong = code === "000000" ? "111111" : "000000";
    const first = await browser.post("/signup/code/verify", { code: wrong });
    expect(first.status).toBe(400);
    expect(await first.text()).toContain("That code is not valid or has expired.");
    for (let i = 0; i < 4; i++) await browser.post("/signup/code/verify", { code: wrong });
    expect((await requestRows(email))[0]?.consumed_at).not.toBeNull();
    const late = await browser.post("/signup/code/verify", { code });
    expect([400, 429]).toContain(late.status);
    expect(await usersWith(email)).toEqual([]);
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("a used code cannot be replayed, and two parallel completions create one account", async () => {
    const browser = new Browser();
    const email = uniqueEmail("parallel-code");
    await start(browser, email);
    const code = codeOf(await mailWithSubject(email, /^Your sign-up code/));
    const cookie = browser.cookies.get("__Host-gh_signup") ?? "";
    const twin = new Browser(browser.ip);
    for (const [name, value] of browser.cookies) twin.cookies.set(name, value);
    const [a, b] = await Promise.all([browser.post("/signup/code/verify", { code }), twin.post("/signup/code/verify", { code })]);
    expect([a.status, b.status].sort()).toEqual([303, 400]);
    expect(await usersWith(email)).toHaveLength(1);
    const replay = new Browser();
    replay.cookies.set("__Host-gh_signup", cookie);
    expect((await replay.post("/signup/code/verify", { code })).status).toBe(400);
    expect(await usersWith(email)).toHaveLength(1);
  });

  it("needs the browser that signed up, a valid address, and the CSRF token", async () => {
    const stranger = await new Browser().post("/signup/code/verify", { code: "123456" });
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain("This browser has no sign-up waiting");
    const bad = await new Browser().post("/signup/code", { email: "not-an-address" });
    expect(bad.status).toBe(400);
    expect(await requestRows("not-an-address")).toEqual([]);
    const email = uniqueEmail("csrf");
    expect((await new Browser().post("/signup/code", { email }, { csrf: null })).status).toBe(403);
    expect(await requestRows(email)).toEqual([]);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/storage/db";
import { usersStore } from "../src/storage/users-store";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "./helpers/accounts";
import { Browser, stripPerRequest } from "./helpers/http";
import { uniqueEmail, waitForMail } from "./helpers/outbox";

describe("password login", () => {
  it("logs in, rotates the session id on every login and shows the account", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const first = browser.cookies.get("__Host-gh_session");
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const account = await browser.get("/account");
    expect(account.status).toBe(200);
    expect(await account.text()).toContain(email);
    await logIn(browser, email);
    const second = browser.cookies.get("__Host-gh_session");
    expect(second?.split(".")[0]).not.toBe(first?.split(".")[0]);
    // The replaced session is dead.
    const old = new Browser(browser.ip);
    old.cookies.set("__Host-gh_session", first ?? "");
    expect((await old.get("/account")).status).toBe(303);
  });

  it("sets the session cookie HttpOnly, Secure, SameSite=Lax, Path=/", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const response = await browser.post("/login", { email, password: GOOD_PASSWORD });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-gh_session="));
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it("answers unknown email and wrong password with the same status and page", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const wrong = await browser.post("/login", { email, password: "not the password at all" });
    const unknown = await browser.post("/login", { email: uniqueEmail("ghost"), password: "not the password at all" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (html: string) => stripPerRequest(html).replace(/value="[^"]*@example\.com"/, "");
    expect(strip(await unknown.text())).toBe(strip(await wrong.text()));
  });

  it("backs off after repeated failures on one account, even for the right password", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    for (let i = 0; i < 5; i++) expect((await browser.post("/login", { email, password: `wrong guess ${i}` })).status).toBe(401);
    const blocked = await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another source is slowed for this account too (the account's guard), but not locked for good.
    expect((await new Browser().post("/login", { email, password: GOOD_PASSWORD })).status).toBe(429);
    const user = await usersStore(openDatabase(env.DB)).findByEmail(email);
    const events = await env.DB.prepare("SELECT type FROM audit_events WHERE user_id = ? ORDER BY occurred_at").bind(user?.id).all<{ type: string }>();
    expect(events.results.map((event) => event.type)).toContain("user.locked_out");
  });

  it("blocks a source that sprays passwords across many accounts", async () => {
    const sprayer = new Browser();
    for (let i = 0; i < 20; i++) await sprayer.post("/login", { email: uniqueEmail(`spray${i}`), password: "Summer2026!" });
    const victim = await createVerifiedAccount(new Browser());
    expect((await sprayer.post("/login", { email: victim, password: GOOD_PASSWORD })).status).toBe(429);
    // A spoofed X-Forwarded-For does not change the limiter key.
    const spoofed = await sprayer.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost:8787", "x-forwarded-for": "198.51.100.7" },
      body: new URLSearchParams({ csrf_token: sprayer.cookies.get("__Host-gh_csrf") ?? "", email: victim, password: GOOD_PASSWORD }),
    });
    expect(spoofed.status).toBe(429);
    // Another source can still log in.
    await logIn(new Browser(), victim);
  });

  it("refuses unverified accounts until verified and sends a fresh link", async () => {
    const browser = new Browser();
    const email = uniqueEmail("unverified");
    await browser.post("/signup", { email, password: GOOD_PASSWORD });
    await waitForMail(email);
    const response = await browser.post("/login", { email, password: GOOD_PASSWORD });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Please verify your email address first");
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
    await waitForMail(email, 2);
  });

  it("refuses disabled accounts like wrong passwords", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const store = usersStore(openDatabase(env.DB));
    const user = await store.findByEmail(email);
    await store.update(user?.id ?? "", { status: "disabled" });
    expect((await browser.post("/login", { email, password: GOOD_PASSWORD })).status).toBe(401);
  });

  it("rehashes an old-parameter hash at login", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const store = usersStore(openDatabase(env.DB));
    const user = await store.findByEmail(email);
    const { createPasswordHasher } = await import("../src/services/password-hasher");
    await store.update(user?.id ?? "", { passwordHash: await createPasswordHasher(env.PASSWORD_PEPPER, 1000).hash(GOOD_PASSWORD) });
    await logIn(browser, email);
    expect((await store.findByEmail(email))?.passwordHash).toMatch(/\$i=100000\$/);
  });

  it("logs out: the cookie is cleared and the session is dead", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const cookie = browser.cookies.get("__Host-gh_session") ?? "";
    const response = await browser.post("/logout", {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?notice=logged_out");
    const replay = new Browser(browser.ip);
    replay.cookies.set("__Host-gh_session", cookie);
    expect((await replay.get("/account")).status).toBe(303);
  });

  it("ignores open redirects in return_to", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    for (const target of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const response = await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: target });
      expect(response.headers.get("location")).toBe("/account");
    }
  });
});

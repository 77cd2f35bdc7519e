import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { mailTo } from "../helpers/outbox";
import { accountWithDevice, auditTypes, fakeSubscription } from "./support";

afterEach(() => vi.restoreAllMocks());

async function devicesOf(userId: string) {
  return (await env.DB.prepare("SELECT id, name, endpoint, p256dh FROM push_subscriptions WHERE user_id = ?").bind(userId).all<Record<string, string>>())
    .results;
}

describe("enrolment on /account/push", () => {
  it("needs a session: the page and the form send a visitor to the login", async () => {
    const visitor = new Browser();
    expect((await visitor.get("/account/push")).headers.get("location")).toBe("/login?return_to=%2Faccount%2Fpush");
    const posted = await visitor.post("/account/push", await fakeSubscription());
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toMatch(/^\/login/);
  });

  it("shows the VAPID public key to the page script and enrols a subscription; the owner is told", async () => {
    const { owner, email, userId, subscription } = await accountWithDevice();
    const page = await owner.get("/account/push");
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/data-vapid-key="B[A-Za-z0-9_-]{86}"/);
    expect(html).toContain("Test phone");
    const devices = await devicesOf(userId);
    expect(devices).toEqual([expect.objectContaining({ name: "Test phone", endpoint: subscription.endpoint, p256dh: subscription.p256dh })]);
    expect(await auditTypes(userId)).toContain("mfa.factor_added");
    await vi.waitFor(async () => expect((await mailTo(email)).length).toBeGreaterThanOrEqual(2));
  });

  it("serves the service worker script with a JavaScript type", async () => {
    const response = await new Browser().get("/push/sw.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    const script = await response.text();
    expect(script).toContain('addEventListener("push"');
    expect(script).toContain("openWindow");
  });

  it("refuses endpoints off the push-service allowlist (SSRF) and stores nothing", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    for (const endpoint of [
      "http://fcm.googleapis.com/fcm/send/x",
      "https://127.0.0.1/push",
      "https://169.254.169.254/latest/meta-data",
      "https://fcm.googleapis.com.evil.example/x",
      "https://intranet.example/push",
      "http://localhost:8787/admin/v1/users",
    ]) {
      const response = await browser.post("/account/push", { ...(await fakeSubscription()), endpoint, name: "x" });
      expect(response.status, endpoint).toBe(400);
      expect(await response.text()).toContain("push service is not one we can send to");
    }
    const user = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
    expect(await devicesOf(user?.id ?? "")).toEqual([]);
  });

  it("refuses keys that are not a P-256 point and a 16-byte secret, and names over 60 characters", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const good = await fakeSubscription();
    const notOnCurve = `B${"A".repeat(86)}`;
    for (const bad of [{ p256dh: "short" }, { p256dh: notOnCurve }, { auth: "AAAA" }, { auth: "" }]) {
      const response = await browser.post("/account/push", { ...good, ...bad, name: "x" });
      expect(response.status, JSON.stringify(bad)).toBe(400);
    }
    const long = await browser.post("/account/push", { ...good, name: "n".repeat(61) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("at most 60 characters");
  });

  it("does not let another account take over an enrolled browser's endpoint", async () => {
    const { userId, subscription } = await accountWithDevice();
    const attacker = new Browser();
    const email = await createVerifiedAccount(attacker);
    await logIn(attacker, email);
    const response = await attacker.post("/account/push", { ...(await fakeSubscription(subscription.endpoint)), name: "mine now" });
    expect(response.status).toBe(400);
    expect(await devicesOf(userId)).toEqual([expect.objectContaining({ name: "Test phone", p256dh: subscription.p256dh })]);
  });

  it("re-enrolling the same browser refreshes its keys instead of adding a second device", async () => {
    const { owner, userId, subscription } = await accountWithDevice();
    const fresh = await fakeSubscription(subscription.endpoint);
    expect((await owner.post("/account/push", { ...fresh, name: "Renewed" })).status).toBe(303);
    expect(await devicesOf(userId)).toEqual([expect.objectContaining({ name: "Renewed", p256dh: fresh.p256dh })]);
  });

  it("renames and removes only the user's own devices; removal notifies and audits", async () => {
    const { owner, email, userId } = await accountWithDevice();
    const other = await accountWithDevice();
    const [mine] = await devicesOf(userId);
    const [theirs] = await devicesOf(other.userId);
    expect((await owner.post("/account/push/rename", { id: theirs?.id ?? "", name: "hijacked" })).status).toBe(400);
    expect((await owner.post("/account/push/remove", { id: theirs?.id ?? "" })).headers.get("location")).toBe("/account/push?notice=not_found");
    expect(await devicesOf(other.userId)).toHaveLength(1);
    expect((await owner.post("/account/push/rename", { id: mine?.id ?? "", name: "Kitchen tablet" })).headers.get("location")).toBe(
      "/account/push?notice=renamed",
    );
    expect((await devicesOf(userId))[0]?.name).toBe("Kitchen tablet");
    const before = (await mailTo(email)).length;
    expect((await owner.post("/account/push/remove", { id: mine?.id ?? "" })).headers.get("location")).toBe("/account/push?notice=removed");
    expect(await devicesOf(userId)).toEqual([]);
    expect(await auditTypes(userId)).toContain("mfa.factor_removed");
    await vi.waitFor(async () => expect((await mailTo(email)).length).toBe(before + 1));
  });

  it("refuses removal when the login is not recent: back to the login first", async () => {
    const { owner, userId } = await accountWithDevice();
    const [device] = await devicesOf(userId);
    // The session started now; seen from 11 minutes later it is no longer recent (MFA_REAUTH_SECONDS = 600).
    const later = Date.now() + 11 * 60 * 1000;
    vi.spyOn(Date, "now").mockReturnValue(later);
    const response = await owner.post("/account/push/remove", { id: device?.id ?? "" });
    vi.restoreAllMocks();
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/login\?notice=reauth/);
    expect(await devicesOf(userId)).toHaveLength(1);
  });

  it("refuses a form without the CSRF token", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const response = await browser.post("/account/push", { ...(await fakeSubscription()), name: "x" }, { csrf: null });
    expect(response.status).toBe(403);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { mailTo } from "../helpers/outbox";
import { auditTypes, eventByToken, FIREFOX_ON_WINDOWS, LYON, logInFrom, nextMail, reportTokenIn, userIdOf } from "./support";

/**
 * An account used at `home`, then by `intruder` from a new device: the owner's mail carries the
 * report token of the intruder's login.
 */
async function intrudedAccount() {
  const home = new Browser();
  const email = await createVerifiedAccount(home);
  await logInFrom(home, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
  const before = (await mailTo(email)).length;
  const intruder = new Browser();
  expect((await logInFrom(intruder, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS })).headers.get("location")).toBe("/account");
  const token = reportTokenIn(await nextMail(email, before));
  return { home, intruder, email, token, userId: await userIdOf(email) };
}

async function signedIn(browser: Browser): Promise<boolean> {
  return (await browser.get("/account")).status === 200;
}

describe("this wasn't me", () => {
  it("opening the link only asks for confirmation: nothing is revoked and the link stays usable", async () => {
    const { home, intruder, token } = await intrudedAccount();
    const page = await new Browser().get(`/risk/report?token=${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("This wasn&#39;t me");
    expect(html).toContain("Lyon, France");
    expect(html).toContain('action="/risk/report"');
    expect(html).toContain('name="csrf_token"');
    expect(await signedIn(intruder)).toBe(true);
    expect(await signedIn(home)).toBe(true);
    expect((await eventByToken(token))?.reported_at).toBeNull();
  });

  it("a post without our CSRF token does nothing", async () => {
    const { intruder, token } = await intrudedAccount();
    const forged = await new Browser().post("/risk/report", { token }, { csrf: "x".repeat(43) });
    expect(forged.status).toBe(403);
    const crossSite = await new Browser().post("/risk/report", { token }, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await signedIn(intruder)).toBe(true);
    expect((await eventByToken(token))?.reported_at).toBeNull();
  });

  it("confirming signs out that session and every other one, revokes refresh tokens, audits, and hands a working reset link", async () => {
    const { home, intruder, token, userId } = await intrudedAccount();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, grant, created_at, expires_at) VALUES (?, ?, 'some-app', ?, '{}', ?, ?)",
    )
      .bind(`hash-${userId}`, `family-${userId}`, userId, now, now + 3_600_000)
      .run();
    const openTokens = () =>
      env.DB.prepare("SELECT COUNT(*) AS n FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL").bind(userId).first<{ n: number }>();
    expect((await openTokens())?.n).toBe(1);
    const reporter = new Browser();
    const done = await reporter.post("/risk/report", { token });
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain("every session of your account is signed out");
    const reset = /href="(\/reset\?token=[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
    expect(reset).toBeDefined();
    expect(await signedIn(intruder)).toBe(false);
    expect(await signedIn(home)).toBe(false);
    expect((await openTokens())?.n).toBe(0);
    expect((await eventByToken(token))?.reported_at).not.toBeNull();
    expect(await auditTypes(userId)).toContain("risk.reported");
    // The reset link is a real one: it shows the form and sets a new password once.
    expect((await reporter.get(reset as string)).status).toBe(200);
    const resetToken = new URL(reset as string, "http://localhost").searchParams.get("token") ?? "";
    expect((await reporter.post("/reset", { token: resetToken, new_password: `${GOOD_PASSWORD} renewed` })).status).toBe(200);
  });

  it("works once: a second confirmation is a 410 and leaves the owner's new session alone", async () => {
    const { email, token } = await intrudedAccount();
    expect((await new Browser().post("/risk/report", { token })).status).toBe(200);
    const owner = new Browser();
    await logInFrom(owner, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
    expect(await signedIn(owner)).toBe(true);
    const again = await new Browser().post("/risk/report", { token });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("already used or has expired");
    expect((await new Browser().get(`/risk/report?token=${token}`)).status).toBe(410);
    expect(await signedIn(owner)).toBe(true);
  });

  it("two confirmations at once: exactly one acts", async () => {
    const { token, userId } = await intrudedAccount();
    const [first, second] = await Promise.all([new Browser().post("/risk/report", { token }), new Browser().post("/risk/report", { token })]);
    expect([first.status, second.status].sort()).toEqual([200, 410]);
    expect((await auditTypes(userId)).filter((type) => type === "risk.reported")).toHaveLength(1);
  });

  it("an expired link does nothing (410), an unknown or malformed one neither (400)", async () => {
    const { intruder, token } = await intrudedAccount();
    await env.DB.prepare("UPDATE risk_events SET report_expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, (await eventByToken(token))?.id)
      .run();
    expect((await new Browser().get(`/risk/report?token=${token}`)).status).toBe(410);
    expect((await new Browser().post("/risk/report", { token })).status).toBe(410);
    expect(await signedIn(intruder)).toBe(true);
    const unknown = "A".repeat(43);
    expect((await new Browser().get(`/risk/report?token=${unknown}`)).status).toBe(400);
    expect((await new Browser().post("/risk/report", { token: unknown })).status).toBe(400);
    expect((await new Browser().get("/risk/report?token=short")).status).toBe(400);
    expect((await new Browser().get("/risk/report")).status).toBe(400);
    const page = await (await new Browser().post("/risk/report", { token: "" })).text();
    expect(page).toContain("This link is invalid");
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { Browser } from "../helpers/http";

const DEVICE_COOKIE = "__Host-gh_device";

/** Reason codes of the account's stored decisions, oldest first. */
async function reasonsOf(email: string): Promise<string[][]> {
  const { results } = await env.DB.prepare("SELECT reasons FROM risk_events WHERE user_id = (SELECT id FROM users WHERE email = ?) ORDER BY created_at, rowid")
    .bind(email)
    .all<{ reasons: string }>();
  return results.map((row) => (JSON.parse(row.reasons) as { code: string }[]).map((reason) => reason.code));
}

describe("device cookie and the risk engine", () => {
  it("recognises the browser's signed device cookie, and counts a tampered one as a new device", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const cookie = browser.cookies.get(DEVICE_COOKIE) ?? "";
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{22}\.[0-9a-f]+$/);
    await logIn(browser, email);
    // Same id, forged tag: must not pass as the known device.
    const [id = "", tag = ""] = cookie.split(".");
    browser.cookies.set(DEVICE_COOKIE, `${id}.${tag.slice(0, -1)}${tag.endsWith("0") ? "1" : "0"}`);
    await logIn(browser, email);
    const reasons = await reasonsOf(email);
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).not.toContain("new_device"); // the first login has no history to compare with
    expect(reasons[1]).not.toContain("new_device");
    expect(reasons[2]).toContain("new_device");
    // The tampered cookie was replaced by a fresh one.
    expect(browser.cookies.get(DEVICE_COOKIE)?.split(".")[0]).not.toBe(id);
  });
});

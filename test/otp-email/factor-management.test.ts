import { env } from "cloudflare:workers";
import { renderSVG } from "uqr";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/db";
import { deleteRecoveryCodes, unusedRecoveryCodeCount } from "../../src/storage/recovery-codes-store";
import { sessionCache } from "../../src/storage/session-cache";
import { deleteTotp, hasConfirmedTotp } from "../../src/storage/totp-store";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { accountWithTotp, startTotp, userIdOf } from "./helpers";

/** Makes the browser's session look as if its login happened an hour ago. */
async function ageLogin(browser: Browser): Promise<void> {
  const id = (browser.cookies.get("__Host-gh_session") ?? "").split(".")[0] ?? "";
  const cache = sessionCache(env.SESSIONS);
  const cached = await cache.get(id);
  if (!cached) throw new Error("no cached session");
  await cache.put(id, { ...cached, authenticatedAt: Date.now() - 3600_000 }, Date.now());
}

describe("managing the authenticator app and recovery codes", () => {
  it("the QR code encodes exactly the otpauth URI the page shows", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    const { html } = await startTotp(browser);
    const uri = (/href="(otpauth:\/\/totp\/[^"]+)"/.exec(html)?.[1] ?? "").replace(/&amp;/g, "&");
    const src = /<img src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html)?.[1] ?? "";
    expect(atob(src)).toBe(renderSVG(uri, { ecc: "M", border: 2, pixelSize: 6 }));
  });

  it("removal and new recovery codes need a recent login; a stale session is sent to log in again", async () => {
    const { browser, email, recoveryCodes } = await accountWithTotp();
    const userId = await userIdOf(email);
    await ageLogin(browser);
    const remove = await browser.post("/account/totp/remove", {});
    expect(remove.headers.get("location")).toBe("/login?notice=reauth&return_to=%2Faccount%2Ftotp%2Fremove");
    const regenerate = await browser.post("/account/recovery-codes", {});
    expect(regenerate.headers.get("location")).toBe("/login?notice=reauth&return_to=%2Faccount%2Frecovery-codes");
    const db = openDatabase(env.DB);
    expect(await hasConfirmedTotp(db, userId)).toBe(true);
    expect(await unusedRecoveryCodeCount(db, userId)).toBe(recoveryCodes.length);
    // Coming back from the re-login with a GET lands on the page, not on a 404.
    expect((await browser.get("/account/totp/remove")).headers.get("location")).toBe("/account/totp");
  });

  it("exposes the store functions the admin API uses", async () => {
    const { email } = await accountWithTotp();
    const userId = await userIdOf(email);
    const db = openDatabase(env.DB);
    expect(await hasConfirmedTotp(db, userId)).toBe(true);
    expect(await unusedRecoveryCodeCount(db, userId)).toBe(10);
    expect(await deleteTotp(db, userId)).toBe(true);
    expect(await deleteTotp(db, userId)).toBe(false);
    expect(await hasConfirmedTotp(db, userId)).toBe(false);
    expect(await deleteRecoveryCodes(db, userId)).toBe(10);
    expect(await unusedRecoveryCodeCount(db, userId)).toBe(0);
  });

  it("an unconfirmed set-up is no factor", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    await startTotp(browser);
    expect(await hasConfirmedTotp(openDatabase(env.DB), await userIdOf(email))).toBe(false);
    // So the next login asks for nothing more (default optional policy).
    const next = new Browser();
    expect((await next.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
  });

  it("speaks German", async () => {
    const browser = new Browser();
    const page = await browser.fetch("/login/link", { headers: { "accept-language": "de-DE,de;q=0.9" } });
    const html = await page.text();
    expect(html).toContain('lang="de"');
    expect(html).toContain("Mit einem Link anmelden");
    const code = await (await browser.fetch("/login/code", { headers: { "accept-language": "de" } })).text();
    expect(code).toContain("Mit einem Code anmelden");
  });
});

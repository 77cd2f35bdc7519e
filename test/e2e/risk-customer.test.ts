import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "./support/accounts";
import { browsersClosedAfterEach, logInWithForm, pathAfterOpeningAccount } from "./support/browser";
import { randomIp } from "./support/http-client";
import { linkIn, newPassword, seenIds, waitForMessage } from "./support/outbox";

/** Development-only headers replay a journey from Lyon (the edge's `request.cf`, and the source address). */
async function fromLyon(page: Page): Promise<void> {
  await page.context().setExtraHTTPHeaders({
    "CF-Connecting-IP": randomIp(),
    "x-dev-cf": JSON.stringify({ country: "FR", city: "Lyon", latitude: "45.76", longitude: "4.84", asn: 3215 }),
  });
}

describe("this wasn't me, in Chromium", () => {
  const open = browsersClosedAfterEach();

  it("a new device is mailed to the owner, shown in recent sign-ins, and the report link signs everyone out and leads to a new password", async () => {
    const account = await createVerifiedAccount("risk-report");
    const home = await open();
    await fromLyon(home.page);
    await logInWithForm(home.page, account);

    const intruder = await open();
    await fromLyon(intruder.page);
    const before = await seenIds(account.email);
    await logInWithForm(intruder.page, account);
    const mail = await waitForMessage(account.email, (message) => message.subject === "New sign-in to your Gatehouse account", { seen: before });
    expect(mail.text).toContain("Where: Lyon, France");
    expect(mail.text).toMatch(/Device: \S.* on Linux/);

    await intruder.page.goto("/account");
    await Promise.all([intruder.page.waitForURL("**/account/activity"), intruder.page.click('a[href="/account/activity"]')]);
    expect(await intruder.page.textContent("li[data-decision]")).toContain("New device in Lyon, France");

    // The owner opens the link elsewhere: the page only asks; nothing has happened yet.
    const owner = await open();
    const link = linkIn(mail, "/risk/report");
    await owner.page.goto(link);
    expect(await owner.page.textContent("h1")).toBe("This wasn't me");
    expect(await pathAfterOpeningAccount(intruder.page)).toBe("/account");

    await owner.page.goto(link);
    await Promise.all([owner.page.waitForLoadState("load"), owner.page.click('form[action="/risk/report"] button[type="submit"]')]);
    await expect.poll(() => owner.page.textContent(".notice")).toContain("every session of your account is signed out");
    expect(await pathAfterOpeningAccount(intruder.page)).toBe("/login");
    expect(await pathAfterOpeningAccount(home.page)).toBe("/login");

    // The page's reset link sets a new password; the report link is used up.
    await Promise.all([owner.page.waitForURL("**/reset?token=*"), owner.page.click('a[href^="/reset?token="]')]);
    const password = newPassword();
    await owner.page.fill("#password", password);
    await owner.page.click('form[action="/reset"] button[type="submit"]');
    await expect.poll(() => owner.page.textContent(".notice")).toContain("Your password has been changed");
    const again = await owner.page.goto(link);
    expect(again?.status()).toBe(410);
    // Back from home (Lyon) with the new password; a login from a far-off place right after would look like impossible travel.
    await fromLyon(owner.page);
    await logInWithForm(owner.page, { ...account, password });
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/storage/db";
import { usersStore } from "../src/storage/users-store";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "./helpers/accounts";
import { Browser } from "./helpers/http";
import { linkIn, uniqueEmail, waitForMail } from "./helpers/outbox";

const users = () => usersStore(openDatabase(env.DB));

async function loggedIn(): Promise<{ browser: Browser; email: string }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  await logIn(browser, email);
  return { browser, email };
}

describe("account page", () => {
  it("sends visitors without a session to /login", async () => {
    const response = await new Browser().get("/account");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?return_to=%2Faccount");
  });

  it("updates the profile name", async () => {
    const { browser, email } = await loggedIn();
    expect((await browser.post("/account/profile", { name: "Ann Example", locale: "de" })).headers.get("location")).toBe("/account?notice=profile_saved");
    expect(await users().findByEmail(email)).toMatchObject({ name: "Ann Example", locale: "de" });
  });

  it("changes the password after checking the current one, ends other sessions and notifies", async () => {
    const { browser, email } = await loggedIn();
    const other = new Browser();
    await logIn(other, email);
    const wrong = await browser.post("/account/password", { current_password: "nope nope nope", new_password: "brand new passphrase 1" });
    expect(wrong.status).toBe(400);
    const ok = await browser.post("/account/password", { current_password: GOOD_PASSWORD, new_password: "brand new passphrase 1" });
    expect(ok.status).toBe(303);
    expect((await browser.get("/account")).status).toBe(200);
    expect((await other.get("/account")).status).toBe(303);
    const [notice] = await waitForMail(email, 2);
    expect(notice?.subject).toBe("Your password was changed");
  });

  it("changes the email only after the link sent to the new address is confirmed, and tells the old address", async () => {
    const { browser, email } = await loggedIn();
    const newEmail = uniqueEmail("moved");
    const response = await browser.post("/account/email", { new_email: newEmail, current_password: GOOD_PASSWORD });
    expect(response.headers.get("location")).toBe("/account?notice=email_change_sent");
    const [mail] = await waitForMail(newEmail);
    expect((await users().findByEmail(email))?.email).toBe(email);
    const token = new URL(linkIn(mail as NonNullable<typeof mail>, "/account/email/confirm"), "http://x").searchParams.get("token") ?? "";
    expect((await browser.get(`/account/email/confirm?token=${token}`)).status).toBe(200);
    expect((await browser.post("/account/email/confirm", { token })).status).toBe(200);
    expect(await users().findByEmail(newEmail)).toMatchObject({ emailVerified: true });
    const [oldNotice] = await waitForMail(email, 2);
    expect(oldNotice?.subject).toBe("Your email address was changed");
    expect((await browser.post("/account/email/confirm", { token })).status).toBe(400);
  });

  it("does not reveal whether the new address is taken", async () => {
    const { browser } = await loggedIn();
    const taken = await createVerifiedAccount(new Browser());
    const response = await browser.post("/account/email", { new_email: taken, current_password: GOOD_PASSWORD });
    expect(response.headers.get("location")).toBe("/account?notice=email_change_sent");
  });

  it("lists sessions and revokes one, then all others", async () => {
    const { browser, email } = await loggedIn();
    const second = new Browser();
    await logIn(second, email);
    const third = new Browser();
    await logIn(third, email);
    const page = await (await browser.get("/account")).text();
    const ids = [...page.matchAll(/data-session-id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids).toHaveLength(3);
    const secondId = second.cookies.get("__Host-gh_session")?.split(".")[0] ?? "";
    expect((await browser.post("/account/sessions/revoke", { session_id: secondId })).headers.get("location")).toBe("/account?notice=session_revoked");
    expect((await second.get("/account")).status).toBe(303);
    expect((await third.get("/account")).status).toBe(200);
    await browser.post("/account/sessions/revoke-others", {});
    expect((await third.get("/account")).status).toBe(303);
    expect((await browser.get("/account")).status).toBe(200);
  });

  it("cannot revoke another account's session", async () => {
    const { browser } = await loggedIn();
    const victim = await loggedIn();
    const victimId = victim.browser.cookies.get("__Host-gh_session")?.split(".")[0] ?? "";
    await browser.post("/account/sessions/revoke", { session_id: victimId });
    expect((await victim.browser.get("/account")).status).toBe(200);
  });

  it("logs out everywhere", async () => {
    const { browser, email } = await loggedIn();
    const other = new Browser();
    await logIn(other, email);
    const response = await browser.post("/logout/everywhere", {});
    expect(response.headers.get("location")).toBe("/login?notice=logged_out");
    expect((await other.get("/account")).status).toBe(303);
    expect((await browser.get("/account")).status).toBe(303);
  });

  it("deletes the account after checking the password", async () => {
    const { browser, email } = await loggedIn();
    expect((await browser.post("/account/delete", { current_password: "wrong wrong wrong" })).status).toBe(400);
    expect(await users().findByEmail(email)).toBeDefined();
    expect((await browser.post("/account/delete", { current_password: GOOD_PASSWORD })).status).toBe(200);
    expect(await users().findByEmail(email)).toBeUndefined();
    expect((await browser.get("/account")).status).toBe(303);
    // The address is free again.
    expect((await new Browser().post("/signup", { email, password: GOOD_PASSWORD })).status).toBe(200);
  });
});

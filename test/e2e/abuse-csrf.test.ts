import { describe, expect, it } from "vitest";
import { createVerifiedAccount, loggedInClient } from "./support/accounts";
import { heading, notices } from "./support/html";
import { baseUrl, CSRF_COOKIE, HttpClient } from "./support/http-client";
import { isVerification, messagesTo, newEmail, newPassword, waitForMessage } from "./support/outbox";

const FOREIGN = "https://evil.example";

describe("cross-site request forgery", () => {
  it("refuses a password change posted from a foreign origin, or without the right token, and changes nothing", async () => {
    const account = await createVerifiedAccount("csrf-password");
    const victim = await loggedInClient(account);
    const change = { current_password: account.password, new_password: newPassword() };

    const refusals = [
      await victim.submit("/account/password", change, { origin: FOREIGN }),
      await victim.submit("/account/password", change, { origin: "null" }),
      await victim.submit("/account/password", change, { origin: `${baseUrl()}.evil.example` }),
      await victim.submit("/account/password", change, { origin: null }),
      await victim.submit("/account/password", change, { origin: null, headers: { referer: `${FOREIGN}/account` } }),
      await victim.submit("/account/password", change, { csrf: "A".repeat(43) }),
      await victim.submit("/account/password", change, { csrf: "" }),
      await victim.submit("/account/password", change, { csrf: null }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(notices(refused.html)).toEqual(["This request was refused. Please reload the page and try again."]);
      expect(refused.html).not.toMatch(/at \w+ \(|Error:/);
    }

    // Still logged in, and the old password still works.
    expect((await victim.get("/account")).status).toBe(200);
    await loggedInClient(account);
  });

  it("accepts a same-origin Referer when the browser sends no Origin", async () => {
    const account = await createVerifiedAccount("csrf-referer");
    const client = await loggedInClient(account);
    const response = await client.post(
      "/account/profile",
      { name: "Referer Only", locale: "en" },
      { origin: null, headers: { referer: `${baseUrl()}/account` } },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account?notice=profile_saved");
  });

  it("refuses a cross-site logout-everywhere and keeps the session", async () => {
    const account = await createVerifiedAccount("csrf-logout");
    const victim = await loggedInClient(account);
    expect((await victim.post("/logout/everywhere", {}, { origin: FOREIGN })).status).toBe(403);
    expect((await victim.post("/logout", {}, { csrf: null })).status).toBe(403);
    expect((await victim.get("/account")).status).toBe(200);
  });

  it("refuses a cross-site sign-up and creates no account", async () => {
    const email = newEmail("csrf-signup");
    const password = newPassword();
    const attacker = new HttpClient();
    expect((await attacker.post("/signup", { email, password, name: "" }, { origin: FOREIGN })).status).toBe(403);
    // A token from another visitor's cookie does not fit this visitor's cookie.
    const other = new HttpClient();
    await other.get("/signup");
    await attacker.get("/signup");
    expect((await attacker.post("/signup", { email, password, name: "" }, { csrf: other.cookies.get(CSRF_COOKIE) ?? "" })).status).toBe(403);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await messagesTo(email)).toEqual([]);
    // The address is still free: a real sign-up gets a verification message, not an "attempt" notice.
    const real = await new HttpClient().submit("/signup", { email, password, name: "" });
    expect(heading(real.html)).toBe("Check your email");
    await waitForMessage(email, isVerification);
  });
});

import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { uniqueEmail } from "../helpers/outbox";
import { cookieNames, expectLoggedIn, mailWithSubject, requestRows, samePage, signupLinkOf, usersWith } from "./support";

async function start(browser: Browser, email: string) {
  const response = await browser.post("/signup/link", { email });
  expect(response.status).toBe(200);
  return response;
}

describe("sign-up by email link (/signup/link)", () => {
  it("opening the link changes nothing; the button in the browser that signed up creates the account once", async () => {
    const browser = new Browser();
    const email = uniqueEmail("link-signup");
    expect(await (await start(browser, email)).text()).toContain('action="/signup/link/code"');
    const { path, token } = signupLinkOf(await mailWithSubject(email, "Finish creating your account"));
    for (let i = 0; i < 2; i++) {
      const view = await browser.get(path);
      expect(view.status).toBe(200);
      expect(await view.text()).toContain('action="/signup/link/confirm"');
    }
    // A mail scanner's prefetch (no cookie) burns nothing either, and a POST from elsewhere creates nothing.
    expect((await new Browser().get(path)).status).toBe(200);
    const forced = await new Browser().post("/signup/link/confirm", { token });
    expect(await forced.text()).toContain('data-testid="signup-link-code"');
    expect(await usersWith(email)).toEqual([]);
    expect((await requestRows(email))[0]?.consumed_at).toBeNull();

    await expectLoggedIn(browser, await browser.post("/signup/link/confirm", { token }));
    expect(await usersWith(email)).toMatchObject([{ email_verified: 1, password_hash: null }]);
    const again = await browser.post("/signup/link/confirm", { token });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This sign-up link is invalid, already used or expired.");
    expect((await browser.get(path)).status).toBe(400);
    expect(await usersWith(email)).toHaveLength(1);
  });

  it("opened in another browser it shows the code, which works only in the browser that signed up", async () => {
    const asking = new Browser();
    const email = uniqueEmail("link-other");
    await start(asking, email);
    const { path, code } = signupLinkOf(await mailWithSubject(email, "Finish creating your account"));
    const shown = await (await new Browser().get(path)).text();
    expect(shown).toContain(`data-testid="signup-link-code">${code}<`);
    expect(shown).not.toContain('action="/signup/link/confirm"');
    expect((await new Browser().post("/signup/link/code", { code })).status).toBe(400);
    await expectLoggedIn(asking, await asking.post("/signup/link/code", { code }));
    expect(await usersWith(email)).toHaveLength(1);
  });

  it("a taken address gets the same answer and cookies; its owner receives the ordinary login link and logs in", async () => {
    const owner = await createVerifiedAccount(new Browser());
    const free = uniqueEmail("free-link");
    const taken = await start(new Browser(), owner);
    const fresh = await start(new Browser(), free);
    expect(cookieNames(taken)).toEqual(["__Host-gh_magic", "__Host-gh_signup"]);
    expect(cookieNames(fresh)).toEqual(cookieNames(taken));
    expect(samePage(await taken.text()).replaceAll(owner, "X")).toBe(samePage(await fresh.text()).replaceAll(free, "X"));

    const browser = new Browser();
    await start(browser, owner);
    const mail = await mailWithSubject(owner, "Your login link", 3);
    const loginPath = /http:\/\/localhost:8787(\/login\/link\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] ?? "";
    expect(await (await browser.get(loginPath)).text()).toContain('action="/login/link/confirm"');
    await expectLoggedIn(browser, await browser.post("/login/link/confirm", { token: loginPath.split("/").pop() ?? "" }));
    expect(await usersWith(owner)).toHaveLength(1);
  });
});

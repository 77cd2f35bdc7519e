import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/storage/db";
import { usersStore } from "../src/storage/users-store";
import { createVerifiedAccount, GOOD_PASSWORD, logIn } from "./helpers/accounts";
import { Browser, stripPerRequest } from "./helpers/http";
import { linkIn, mailTo, uniqueEmail, waitForMail } from "./helpers/outbox";

const NEW_PASSWORD = "lantern orchard velvet 77";

async function requestResetLink(browser: Browser, email: string, already = 1): Promise<string> {
  const response = await browser.post("/forgot", { email });
  expect(response.status).toBe(200);
  const [mail] = await waitForMail(email, already + 1);
  expect(mail?.subject).toBe("Reset your password");
  return new URL(linkIn(mail as NonNullable<typeof mail>, "/reset"), "http://x").searchParams.get("token") ?? "";
}

describe("forgot / reset password", () => {
  it("resets by emailed link: single use, old password dead, all sessions revoked", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const other = new Browser();
    await logIn(other, email);
    const token = await requestResetLink(browser, email);
    // Opening the link consumes nothing.
    expect((await browser.get(`/reset?token=${token}`)).status).toBe(200);
    expect((await browser.get(`/reset?token=${token}`)).status).toBe(200);
    const done = await browser.post("/reset", { token, new_password: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect((await browser.post("/reset", { token, new_password: "another good passphrase" })).status).toBe(400);
    expect((await new Browser().post("/login", { email, password: GOOD_PASSWORD })).status).toBe(401);
    await logIn(new Browser(), email, NEW_PASSWORD);
    expect((await other.get("/account")).status).toBe(303);
  });

  it("answers an unknown address exactly like a known one and sends nothing", async () => {
    const browser = new Browser();
    const known = await createVerifiedAccount(browser);
    const unknown = uniqueEmail("nobody");
    const a = await browser.post("/forgot", { email: known });
    const b = await browser.post("/forgot", { email: unknown });
    expect(a.status).toBe(b.status);
    const strip = (html: string) => stripPerRequest(html).replaceAll(known, "EMAIL").replaceAll(unknown, "EMAIL");
    expect(strip(await b.text())).toBe(strip(await a.text()));
    await waitForMail(known, 2);
    expect(await mailTo(unknown)).toHaveLength(0);
  });

  it("builds the link from the issuer URL, never from Host or X-Forwarded-Host", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await browser.fetch("/forgot", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost:8787",
        "x-forwarded-host": "evil.example",
        host: "evil.example",
      },
      body: new URLSearchParams({ csrf_token: browser.cookies.get("__Host-gh_csrf") ?? "", email }),
    });
    const [mail] = await waitForMail(email, 2);
    expect(mail?.text).toContain("http://localhost:8787/reset?token=");
    expect(mail?.text).not.toContain("evil.example");
  });

  it("a newer link supersedes the older one", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const first = await requestResetLink(browser, email, 1);
    await requestResetLink(browser, email, 2);
    expect((await browser.get(`/reset?token=${first}`)).status).toBe(400);
  });

  it("expires after 30 minutes", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const token = await requestResetLink(browser, email);
    const user = await usersStore(openDatabase(env.DB)).findByEmail(email);
    await env.DB.prepare("UPDATE email_tokens SET expires_at = ? WHERE user_id = ? AND purpose = 'reset_password'")
      .bind(Date.now() - 1, user?.id)
      .run();
    expect((await browser.post("/reset", { token, new_password: NEW_PASSWORD })).status).toBe(400);
  });

  it("applies the password policy and keeps the link usable after a refused password", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const token = await requestResetLink(browser, email);
    const weak = await browser.post("/reset", { token, new_password: "password1" });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("too common");
    expect((await browser.post("/reset", { token, new_password: NEW_PASSWORD })).status).toBe(200);
  });

  it("lets exactly one of two concurrent submissions of one link win", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const token = await requestResetLink(browser, email);
    const results = await Promise.all([
      browser.post("/reset", { token, new_password: NEW_PASSWORD }),
      browser.post("/reset", { token, new_password: "a different passphrase 9" }),
    ]);
    expect(results.map((response) => response.status).sort()).toEqual([200, 400]);
  });

  it("clears the login backoff", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    for (let i = 0; i < 6; i++) await browser.post("/login", { email, password: `wrong ${i}` });
    expect((await new Browser().post("/login", { email, password: GOOD_PASSWORD })).status).toBe(429);
    const token = await requestResetLink(browser, email);
    await browser.post("/reset", { token, new_password: NEW_PASSWORD });
    await logIn(new Browser(), email, NEW_PASSWORD);
  });
});

import { env } from "cloudflare:workers";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser, stripPerRequest } from "../helpers/http";
import { mailTo, uniqueEmail, waitForMail } from "../helpers/outbox";
import { SoftAuthenticator } from "./authenticator";
import { type CreationAnswer, postJson, signUpWithPasskey, signupLinkToken } from "./flows";

describe("passwordless sign-up with a passkey", () => {
  it("creates an account without a password, with the address verified, and logs the browser in", async () => {
    const browser = new Browser();
    const authenticator = new SoftAuthenticator();
    const { email, token } = await signupLinkToken(browser);
    // Opening the link shows a page and uses nothing up (mail scanners prefetch links).
    for (let i = 0; i < 2; i++) {
      const page = await browser.get(`/signup/passkey/continue?token=${token}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(email);
    }
    const started = await postJson<CreationAnswer>(browser, "/signup/passkey/options", { token });
    expect(started.status).toBe(200);
    const { options } = started.body;
    expect(options.rp.id).toBe("localhost");
    expect(options.authenticatorSelection?.residentKey).toBe("required");
    expect(options.authenticatorSelection?.userVerification).toBe("required");
    // 32 random bytes (at least 16 are required).
    expect(isoBase64URL.toBuffer(options.challenge).length).toBe(32);

    const credential = await authenticator.create(options);
    const finished = await postJson(browser, "/signup/passkey/finish", { token, credential: JSON.stringify(credential) });
    expect(finished).toEqual({ status: 200, body: { redirect: "/account" } });
    expect((await browser.get("/account")).status).toBe(200);

    const user = await env.DB.prepare("SELECT id, password_hash, email_verified FROM users WHERE email = ?")
      .bind(email)
      .first<{ id: string; password_hash: string | null; email_verified: number }>();
    expect(user?.password_hash).toBeNull();
    expect(user?.email_verified).toBe(1);
    const passkey = await env.DB.prepare("SELECT user_id, device_type, sign_count FROM webauthn_credentials WHERE id = ?").bind(authenticator.id).first();
    expect(passkey).toEqual({ user_id: user?.id, device_type: "singleDevice", sign_count: 0 });

    // The link worked once: it is gone now, for the page and for new ceremonies.
    expect((await browser.get(`/signup/passkey/continue?token=${token}`)).status).toBe(400);
    expect((await postJson(browser, "/signup/passkey/options", { token })).status).toBe(400);
  });

  it("answers a taken address exactly like a free one; only the owner's mailbox tells the difference", async () => {
    const owner = new Browser();
    const takenEmail = await createVerifiedAccount(owner);
    const freeEmail = uniqueEmail("free");
    const visitor = new Browser();
    const taken = await visitor.post("/signup/passkey", { email: takenEmail });
    const free = await visitor.post("/signup/passkey", { email: freeEmail });
    expect(taken.status).toBe(free.status);
    const normalize = (html: string, email: string) => stripPerRequest(html).replaceAll(email, "EMAIL");
    expect(normalize(await taken.text(), takenEmail)).toBe(normalize(await free.text(), freeEmail));

    const [freeMail] = await waitForMail(freeEmail);
    expect(freeMail?.text).toContain("/signup/passkey/continue?token=");
    const takenMails = await waitForMail(takenEmail, 2);
    expect(takenMails[0]?.text).not.toContain("/signup/passkey/continue");
    expect(takenMails[0]?.subject).toMatch(/Sign-up attempt/);
  });

  it("refuses a link for an address that got an account in the meantime", async () => {
    const browser = new Browser();
    const { email, token } = await signupLinkToken(browser);
    const started = await postJson<CreationAnswer>(browser, "/signup/passkey/options", { token });
    // Someone else creates the account with this address first (the unique email decides).
    await env.DB.prepare("INSERT INTO users (id, email, email_verified, created_at, updated_at) VALUES (?, ?, 1, 0, 0)").bind(crypto.randomUUID(), email).run();
    const credential = await new SoftAuthenticator().create(started.body.options);
    const finished = await postJson<{ error: string }>(browser, "/signup/passkey/finish", { token, credential: JSON.stringify(credential) });
    expect(finished.status).toBe(400);
    expect(finished.body.error).toMatch(/already exists/);
  });

  it("refuses garbage and a ceremony that belongs to another link", async () => {
    const browser = new Browser();
    const first = await signupLinkToken(browser);
    const second = await signupLinkToken(browser);
    const started = await postJson<CreationAnswer>(browser, "/signup/passkey/options", { token: first.token });
    const credential = await new SoftAuthenticator().create(started.body.options);
    // The ceremony of link 1 finished with link 2's token: refused, and the ceremony is used up.
    expect((await postJson(browser, "/signup/passkey/finish", { token: second.token, credential: JSON.stringify(credential) })).status).toBe(400);
    expect((await postJson(browser, "/signup/passkey/finish", { token: first.token, credential: JSON.stringify(credential) })).status).toBe(400);
    expect((await postJson(browser, "/signup/passkey/finish", { token: first.token, credential: "{not json" })).status).toBe(400);
    expect((await browser.get("/signup/passkey/continue?token=nonsense")).status).toBe(400);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email IN (?, ?)").bind(first.email, second.email).first("n")).toBe(0);
  });

  it("rejects invalid addresses with a field error and sends nothing", async () => {
    const browser = new Browser();
    const response = await browser.post("/signup/passkey", { email: "not-an-address" });
    expect(response.status).toBe(400);
    expect(await mailTo("not-an-address")).toHaveLength(0);
  });

  it("signs up end to end with the helper (used by the other files)", async () => {
    const browser = new Browser();
    const { userId } = await signUpWithPasskey(browser, new SoftAuthenticator());
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

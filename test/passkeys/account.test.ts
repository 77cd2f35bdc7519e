import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { waitForMail } from "../helpers/outbox";
import { SoftAuthenticator } from "./authenticator";
import { addPasskey, ageLogin, auditTypes, passkeyLogin, signUpWithPasskey } from "./flows";

async function passwordAccount(): Promise<{ browser: Browser; email: string }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  await logIn(browser, email);
  return { browser, email };
}

async function passkeyRows(email: string) {
  const { results } = await env.DB.prepare(
    "SELECT c.id, c.name FROM webauthn_credentials c JOIN users u ON u.id = c.user_id WHERE u.email = ? ORDER BY c.created_at",
  )
    .bind(email)
    .all<{ id: string; name: string }>();
  return results;
}

describe("/account/passkeys", () => {
  it("needs a session", async () => {
    const response = await new Browser().get("/account/passkeys");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?return_to=%2Faccount%2Fpasskeys");
  });

  it("adds a passkey (owner notified), lists it with its kind, and excludes it from the next registration", async () => {
    const { browser, email } = await passwordAccount();
    const authenticator = new SoftAuthenticator();
    const added = await addPasskey(browser, authenticator, "Laptop");
    expect(added.body).toEqual({ redirect: "/account/passkeys?notice=added" });
    const html = await (await browser.get("/account/passkeys?notice=added")).text();
    expect(html).toContain("Laptop");
    expect(html).toContain("Device-bound");
    expect(html).toContain("Passkey added.");
    const mails = await waitForMail(email, 2);
    expect(mails[0]?.subject).toBeTruthy();
    expect(mails.some((mail) => /added/i.test(mail.subject ?? ""))).toBe(true);
    const next = await addPasskey(browser, new SoftAuthenticator(), "Phone");
    expect(next.started.body.options.excludeCredentials?.map((credential) => credential.id)).toEqual([authenticator.id]);
    expect((await passkeyRows(email)).map((row) => row.name)).toEqual(["Laptop", "Phone"]);
  });

  it("rejects a credential ID that is already registered (to this or another account)", async () => {
    const { browser, email } = await passwordAccount();
    const shared = new SoftAuthenticator();
    await signUpWithPasskey(new Browser(), shared);
    // The same credential ID presented again, with a fresh key: refused, nothing stored.
    const again = await addPasskey(browser, shared, "Copy");
    expect(again.status).toBe(400);
    expect(await passkeyRows(email)).toEqual([]);
  });

  it("rejects credential IDs longer than 1,023 bytes and accepts exactly 1,023", async () => {
    const { browser, email } = await passwordAccount();
    expect((await addPasskey(browser, new SoftAuthenticator({ credentialIdBytes: 1024 }))).status).toBe(400);
    expect((await addPasskey(browser, new SoftAuthenticator({ credentialIdBytes: 1023 }))).status).toBe(200);
    expect(await passkeyRows(email)).toHaveLength(1);
  });

  it("rejects registrations with a wrong origin, wrong RP ID, missing UV, or another account's ceremony", async () => {
    const { browser, email } = await passwordAccount();
    for (const bend of [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { userVerified: false }, { type: "webauthn.get" }]) {
      expect((await addPasskey(browser, new SoftAuthenticator(), "x", bend)).status).toBe(400);
    }
    // A ceremony another account started cannot be finished here.
    const other = await passwordAccount();
    const started = await (await other.browser.post("/account/passkeys/options", {})).json<{ options: never }>();
    const credential = await new SoftAuthenticator().create(started.options);
    const stolen = await browser.post("/account/passkeys/finish", { name: "x", credential: JSON.stringify(credential) });
    expect(stolen.status).toBe(400);
    expect(await passkeyRows(email)).toEqual([]);
  });

  it("renames only the user's own passkeys", async () => {
    const { browser, email } = await passwordAccount();
    await addPasskey(browser, new SoftAuthenticator(), "Old");
    const [row] = await passkeyRows(email);
    const renamed = await browser.post("/account/passkeys/rename", { id: row?.id ?? "", name: "  New name\u0007 " });
    expect(renamed.headers.get("location")).toBe("/account/passkeys?notice=renamed");
    expect((await passkeyRows(email))[0]?.name).toBe("New name");
    const intruder = await passwordAccount();
    expect((await intruder.browser.post("/account/passkeys/rename", { id: row?.id ?? "", name: "Pwned" })).status).toBe(400);
    expect((await passkeyRows(email))[0]?.name).toBe("New name");
  });

  it("deletes a passkey only after a recent login, notifies the owner, and never another user's", async () => {
    const { browser, email } = await passwordAccount();
    const authenticator = new SoftAuthenticator();
    await addPasskey(browser, authenticator, "Key");
    const [row] = await passkeyRows(email);
    const intruder = await passwordAccount();
    expect((await intruder.browser.post("/account/passkeys/delete", { id: row?.id ?? "" })).status).toBe(404);

    await ageLogin(browser, 11 * 60 * 1000);
    const stale = await browser.post("/account/passkeys/delete", { id: row?.id ?? "" });
    expect(stale.status).toBe(303);
    expect(stale.headers.get("location")).toBe("/login?notice=reauth&return_to=%2Faccount%2Fpasskeys");
    expect(await passkeyRows(email)).toHaveLength(1);
    // Adding needs a recent login as well (a stolen session must not plant a lasting way in).
    expect((await addPasskey(browser, new SoftAuthenticator())).body).toEqual({ redirect: "/login?notice=reauth&return_to=%2Faccount%2Fpasskeys" });

    // A fresh login (with the passkey itself: with a passkey enrolled, a password alone now asks for it anyway).
    expect((await passkeyLogin(browser, authenticator)).status).toBe(200);
    const deleted = await browser.post("/account/passkeys/delete", { id: row?.id ?? "" });
    expect(deleted.headers.get("location")).toBe("/account/passkeys?notice=deleted");
    expect(await passkeyRows(email)).toEqual([]);
    const mails = await waitForMail(email, 3);
    expect(mails.some((mail) => /removed/i.test(mail.subject ?? ""))).toBe(true);
  });

  it("warns before deleting the last way in of an account without a password, and deletes only when confirmed", async () => {
    const browser = new Browser();
    const authenticator = new SoftAuthenticator();
    const { email, userId } = await signUpWithPasskey(browser, authenticator);
    const [row] = await passkeyRows(email);
    const warned = await browser.post("/account/passkeys/delete", { id: row?.id ?? "" });
    expect(warned.status).toBe(200);
    const html = await warned.text();
    expect(html).toContain("only way to log in");
    expect(html).toContain('name="confirm" value="last"');
    expect(await passkeyRows(email)).toHaveLength(1);
    const confirmed = await browser.post("/account/passkeys/delete", { id: row?.id ?? "", confirm: "last" });
    expect(confirmed.headers.get("location")).toBe("/account/passkeys?notice=deleted");
    expect(await passkeyRows(email)).toEqual([]);
    expect(await auditTypes(userId)).toEqual(expect.arrayContaining(["passkey.deleted", "mfa.factor_removed"]));
    // The deleted passkey no longer logs in.
    expect((await passkeyLogin(new Browser(), authenticator)).status).toBe(400);
  });
});

describe("WebAuthn configuration", () => {
  const base = {
    ISSUER_URL: "https://id.example.com",
    KEY_ENCRYPTION_KEY: "k".repeat(32),
    PASSWORD_PEPPER: "p".repeat(32),
    ADMIN_API_TOKEN: "a".repeat(32),
    EMAIL_API_URL: "https://mail.example.com/send",
  };

  it("defaults to the issuer's host and origin", () => {
    expect(loadConfig({ ...base }).webauthn).toEqual({ rpId: "id.example.com", rpName: "Gatehouse", origins: ["https://id.example.com"] });
  });

  it("takes an RP ID, origins on it or its subdomains, and a name", () => {
    const config = loadConfig({
      ...base,
      WEBAUTHN_RP_ID: "example.com",
      WEBAUTHN_ORIGINS: "https://id.example.com, https://example.com",
      WEBAUTHN_RP_NAME: "Acme",
    });
    expect(config.webauthn).toEqual({ rpId: "example.com", rpName: "Acme", origins: ["https://id.example.com", "https://example.com"] });
  });

  it("refuses origins off the RP ID, malformed origins and RP IDs with a scheme", () => {
    expect(() => loadConfig({ ...base, WEBAUTHN_ORIGINS: "https://evil.example" })).toThrow(/not on the RP ID id.example.com/);
    expect(() => loadConfig({ ...base, WEBAUTHN_ORIGINS: "https://id.example.com/login" })).toThrow(/must be written as an origin/);
    expect(() => loadConfig({ ...base, WEBAUTHN_RP_ID: "https://example.com" })).toThrow(/WEBAUTHN_RP_ID must be a lower-case host name/);
  });
});

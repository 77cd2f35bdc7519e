import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream } from "../federation/fake-upstream";
import { Browser, callback, federatedLogin, registerUpstream } from "../federation/flow-helpers";
import { admin } from "../federation/helpers";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { type Mail, uniqueEmail, waitForMail } from "../helpers/outbox";

// Attribute mapping on every federated login (`attribute_sync`), not only when the account is created.

const upstream = new FakeUpstream("sync");
let defaultProvider = "";
let alwaysProvider = "";
let signupProvider = "";
let untrustedProvider = "";

beforeAll(async () => {
  await upstream.start();
  defaultProvider = await registerUpstream(upstream, { trust_email: true });
  alwaysProvider = await registerUpstream(upstream, { trust_email: true, attribute_sync: "always" });
  signupProvider = await registerUpstream(upstream, { trust_email: true, attribute_sync: "signup" });
  untrustedProvider = await registerUpstream(upstream, { trust_email: false });
});
afterAll(() => upstream.stop());

const subject = () => `sub-${crypto.randomUUID()}`;

interface Account {
  id: string;
  email: string;
  email_verified: number;
  name: string | null;
  locale: string | null;
}

function accountOfSubject(sub: string): Promise<Account | null> {
  return env.DB.prepare(
    "SELECT u.id, u.email, u.email_verified, u.name, u.locale FROM users u JOIN federated_identities fi ON fi.user_id = u.id WHERE fi.sub = ?",
  )
    .bind(sub)
    .first<Account>();
}

async function login(provider: string, claims: Record<string, unknown>): Promise<Browser> {
  const browser = new Browser();
  const response = await federatedLogin(browser, upstream, provider, claims);
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).not.toMatch(/^\/login\?/);
  return browser;
}

async function editOwnProfile(browser: Browser, name: string, locale: string): Promise<void> {
  expect((await browser.post("/account/profile", { name, locale })).headers.get("location")).toBe("/account?notice=profile_saved");
}

describe("attribute_sync: unless_edited (the default)", () => {
  it("refreshes name and locale on later logins until the customer edits them; their edit is kept", async () => {
    const sub = subject();
    const email = uniqueEmail("sync");
    await login(defaultProvider, { sub, email, email_verified: true, name: "Ann Upstream", locale: "en-GB" });
    expect(await accountOfSubject(sub)).toMatchObject({ name: "Ann Upstream", locale: "en" });

    const second = await login(defaultProvider, { sub, email, email_verified: true, name: "Ann Renamed", locale: "de-DE" });
    expect(await accountOfSubject(sub)).toMatchObject({ name: "Ann Renamed", locale: "de" });

    await editOwnProfile(second, "Ann Mine", "de");
    await login(defaultProvider, { sub, email, email_verified: true, name: "Ann Third", locale: "en" });
    // The name the customer chose stays; the locale they left as it was follows the upstream.
    expect(await accountOfSubject(sub)).toMatchObject({ name: "Ann Mine", locale: "en" });
    const events = await env.DB.prepare("SELECT details FROM audit_events WHERE type = 'federation.profile_synced' AND user_id = ? ORDER BY rowid")
      .bind((await accountOfSubject(sub))?.id)
      .all<{ details: string }>();
    expect(events.results.map((row) => JSON.parse(row.details).fields)).toEqual([["name", "locale"], ["locale"]]);
  });

  it("a missing upstream value never clears a field", async () => {
    const sub = subject();
    const email = uniqueEmail("sync");
    await login(defaultProvider, { sub, email, email_verified: true, name: "Kept Name", locale: "de" });
    await login(defaultProvider, { sub, email, email_verified: true });
    expect(await accountOfSubject(sub)).toMatchObject({ name: "Kept Name", locale: "de", email });
  });

  it("keeps the account's address even when the trusted provider reports a new verified one", async () => {
    const sub = subject();
    const email = uniqueEmail("kept");
    await login(defaultProvider, { sub, email, email_verified: true, name: "Before" });
    await login(defaultProvider, { sub, email: uniqueEmail("new"), email_verified: true, name: "Still Synced" });
    expect(await accountOfSubject(sub)).toMatchObject({ email, email_verified: 1, name: "Still Synced" });
  });

  it("an identity linked to an existing account fills only empty fields; an untrusted provider never moves the address", async () => {
    const browser = new Browser();
    const email = uniqueEmail("linked");
    expect((await browser.post("/signup", { email, password: GOOD_PASSWORD, name: "Own Name" })).status).toBe(200);
    const [mail] = await waitForMail(email);
    const token = /\/verify\?token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1] ?? "";
    expect((await browser.post("/verify", { token })).status).toBe(200);
    await browser.post("/login", { email, password: GOOD_PASSWORD });
    const sub = subject();
    const start = await browser.post(`/federation/${untrustedProvider}/link`, {});
    expect(start.status).toBe(303);
    const linked = await callback(browser, untrustedProvider, upstream.consent(start.headers.get("location") ?? "", { sub, email, email_verified: true }));
    expect(linked.headers.get("location")).toBe("/account/identities?notice=linked");
    await browser.post("/logout", {});

    await login(untrustedProvider, { sub, email: uniqueEmail("moved"), email_verified: true, name: "Upstream Name", locale: "de" });
    const account = await accountOfSubject(sub);
    expect(account).toMatchObject({ email, name: "Own Name" });
  });
});

describe("attribute_sync: always and signup", () => {
  it("always: moves the address to a new one the trusted provider verifies, and tells the old address", async () => {
    const sub = subject();
    const oldEmail = uniqueEmail("old");
    const newEmail = uniqueEmail("new");
    await login(alwaysProvider, { sub, email: oldEmail, email_verified: true });
    await login(alwaysProvider, { sub, email: newEmail, email_verified: true });
    expect(await accountOfSubject(sub)).toMatchObject({ email: newEmail, email_verified: 1 });
    const [notice] = (await waitForMail(oldEmail)) as Mail[];
    expect(notice?.text).toContain(newEmail);
  });

  it("always: never replaces the verified address with an unverified one (boolean or string false)", async () => {
    const sub = subject();
    const email = uniqueEmail("kept");
    await login(alwaysProvider, { sub, email, email_verified: true });
    await login(alwaysProvider, { sub, email: uniqueEmail("unverified"), email_verified: false, name: "Still Synced" });
    expect(await accountOfSubject(sub)).toMatchObject({ email, email_verified: 1, name: "Still Synced" });
    await login(alwaysProvider, { sub, email: uniqueEmail("string"), email_verified: "false" });
    expect((await accountOfSubject(sub))?.email).toBe(email);
  });

  it("always: an address another account holds is not taken; the rest still refreshes", async () => {
    const taken = await createVerifiedAccount(new Browser());
    const sub = subject();
    const email = uniqueEmail("mine");
    await login(alwaysProvider, { sub, email, email_verified: true, name: "Before" });
    await login(alwaysProvider, { sub, email: taken, email_verified: true, name: "After" });
    expect(await accountOfSubject(sub)).toMatchObject({ email, name: "After" });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE email = ?").bind(taken).first("n")).toBe(1);
  });

  it("always: the upstream wins over the customer's own edit", async () => {
    const sub = subject();
    const email = uniqueEmail("always");
    const browser = await login(alwaysProvider, { sub, email, email_verified: true, name: "Directory Name", locale: "en" });
    await editOwnProfile(browser, "My Nickname", "de");
    await login(alwaysProvider, { sub, email, email_verified: true, name: "Directory Name", locale: "en" });
    expect(await accountOfSubject(sub)).toMatchObject({ name: "Directory Name", locale: "en" });
    // Still never an unverified address.
    await login(alwaysProvider, { sub, email: uniqueEmail("x"), email_verified: false });
    expect((await accountOfSubject(sub))?.email).toBe(email);
  });

  it("signup: only the account's creation takes upstream values", async () => {
    const sub = subject();
    const email = uniqueEmail("once");
    await login(signupProvider, { sub, email, email_verified: true, name: "First", locale: "en" });
    await login(signupProvider, { sub, email: uniqueEmail("later"), email_verified: true, name: "Second", locale: "de" });
    expect(await accountOfSubject(sub)).toMatchObject({ email, name: "First", locale: "en" });
  });
});

describe("attribute_sync in the admin API", () => {
  it("defaults to unless_edited, can be changed, and refuses unknown values", async () => {
    const one = (await (await admin(`/admin/v1/identity-providers/${defaultProvider}`)).json()) as Record<string, unknown>;
    expect(one.attribute_sync).toBe("unless_edited");
    const changed = await admin(`/admin/v1/identity-providers/${signupProvider}`, { method: "PATCH", json: { attribute_sync: "always" } });
    expect(((await changed.json()) as Record<string, unknown>).attribute_sync).toBe("always");
    await admin(`/admin/v1/identity-providers/${signupProvider}`, { method: "PATCH", json: { attribute_sync: "signup" } });
    for (const bad of ["sometimes", "", 1, null]) {
      const refused = await admin(`/admin/v1/identity-providers/${signupProvider}`, { method: "PATCH", json: { attribute_sync: bad } });
      expect(refused.status).toBe(400);
    }
    expect(((await (await admin(`/admin/v1/identity-providers/${signupProvider}`)).json()) as Record<string, unknown>).attribute_sync).toBe("signup");
  });
});

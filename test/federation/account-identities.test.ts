import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { uniqueEmail } from "../helpers/outbox";
import { FakeUpstream } from "./fake-upstream";
import { Browser, callback, federatedLogin, registerUpstream } from "./flow-helpers";

const upstream = new FakeUpstream("acct");
let providerId = "";
let otherProviderId = "";

beforeAll(async () => {
  await upstream.start();
  providerId = await registerUpstream(upstream, { trust_email: true, attribute_mapping: { name: "preferred_username" } });
  otherProviderId = await registerUpstream(upstream, { trust_email: true });
});
afterAll(() => upstream.stop());

const subject = () => `sub-${crypto.randomUUID()}`;
const identitiesOf = (email: string) =>
  env.DB.prepare("SELECT fi.id, fi.sub FROM federated_identities fi JOIN users u ON u.id = fi.user_id WHERE u.email = ?")
    .bind(email)
    .all<{ id: string; sub: string }>();

/** Starts linking from the account page; returns the provider's callback parameters after consent. */
async function linkFromAccount(browser: Browser, id: string, claims: Record<string, unknown>): Promise<Response> {
  const start = await browser.post(`/federation/${id}/link`, {});
  expect(start.status).toBe(303);
  return callback(browser, id, upstream.consent(start.headers.get("location") ?? "", claims));
}

describe("linked logins on the account page", () => {
  it("lists, links another provider, and unlinks — but never the last way to log in", async () => {
    const browser = new Browser();
    const email = uniqueEmail();
    expect((await federatedLogin(browser, upstream, providerId, { sub: subject(), email, email_verified: true, preferred_username: "nick" })).status).toBe(303);
    expect(await env.DB.prepare("SELECT name FROM users WHERE email = ?").bind(email).first("name")).toBe("nick");

    const page = await browser.get("/account/identities");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);
    const [only] = (await identitiesOf(email)).results;

    // No password, no passkey, one identity: unlinking it is refused.
    const refused = await browser.post(`/account/identities/${only?.id}/unlink`, {});
    expect(refused.headers.get("location")).toBe("/account/identities?notice=last_method");
    expect((await identitiesOf(email)).results).toHaveLength(1);

    // A second identity makes the first removable.
    const linked = await linkFromAccount(browser, otherProviderId, { sub: subject(), email: uniqueEmail(), email_verified: false });
    expect(linked.headers.get("location")).toBe("/account/identities?notice=linked");
    expect((await identitiesOf(email)).results).toHaveLength(2);
    const unlinked = await browser.post(`/account/identities/${only?.id}/unlink`, {});
    expect(unlinked.headers.get("location")).toBe("/account/identities?notice=unlinked");
    expect((await identitiesOf(email)).results).toHaveLength(1);
  });

  it("an account with a password may unlink its only identity; another account's identity cannot be unlinked", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    expect((await linkFromAccount(browser, providerId, { sub: subject(), email, email_verified: true })).status).toBe(303);
    const [identity] = (await identitiesOf(email)).results;

    const stranger = new Browser();
    await logIn(stranger, await createVerifiedAccount(stranger));
    await stranger.post(`/account/identities/${identity?.id}/unlink`, {});
    expect((await identitiesOf(email)).results).toHaveLength(1);

    expect((await browser.post(`/account/identities/${identity?.id}/unlink`, {})).headers.get("location")).toBe("/account/identities?notice=unlinked");
    expect((await identitiesOf(email)).results).toHaveLength(0);
  });

  it("an identity linked to one account cannot be linked to another", async () => {
    const sub = subject();
    expect((await federatedLogin(new Browser(), upstream, providerId, { sub, email: uniqueEmail(), email_verified: true })).status).toBe(303);
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    expect((await linkFromAccount(browser, providerId, { sub, email: uniqueEmail(), email_verified: true })).status).toBe(400);
  });

  it("a link never joins another account logged in meanwhile in the same browser", async () => {
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    const start = await browser.post(`/federation/${providerId}/link`, {});
    await browser.post("/logout", {});
    await logIn(browser, await createVerifiedAccount(new Browser()));
    const sub = subject();
    const response = await callback(
      browser,
      providerId,
      upstream.consent(start.headers.get("location") ?? "", { sub, email: uniqueEmail(), email_verified: true }),
    );
    expect(response.status).toBe(400);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM federated_identities WHERE sub = ?").bind(sub).first("n")).toBe(0);
  });

  it("linking needs a session and our CSRF token", async () => {
    const anonymous = new Browser();
    const response = await anonymous.post(`/federation/${providerId}/link`, {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toContain("/login");
    const browser = new Browser();
    await logIn(browser, await createVerifiedAccount(browser));
    expect((await browser.post(`/federation/${providerId}/link`, {}, { csrf: "wrong" })).status).toBe(403);
    expect((await browser.post(`/federation/${providerId}/start`, {}, { csrf: null })).status).toBe(403);
  });

  it("an address mapped from a non-standard claim is never treated as verified", async () => {
    const id = await registerUpstream(upstream, { trust_email: true, attribute_mapping: { email: "mail" } });
    const existing = await createVerifiedAccount(new Browser());
    const browser = new Browser();
    // email_verified speaks about `email`, not `mail`: no automatic link to the existing account.
    const response = await federatedLogin(browser, upstream, id, { sub: subject(), mail: existing, email: uniqueEmail(), email_verified: true });
    expect(response.status).toBe(200);
    expect((await identitiesOf(existing)).results).toHaveLength(0);
  });

  it("the login and sign-up pages show a button per enabled provider", async () => {
    const login = await (await new Browser().get("/login")).text();
    expect(login).toContain(`action="/federation/${providerId}/start"`);
    const signup = await (await new Browser().get("/signup")).text();
    expect(signup).toContain(`data-provider="${providerId}"`);
  });
});

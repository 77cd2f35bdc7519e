import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { logInWithForm, openBrowser } from "./support/browser";
import { callbackInput, codeRequest, createUser, discover, pkceChecks, receiverForSuite, registerClient, verifyWithJose } from "./support/oidc-rp";
import { addVirtualAuthenticator, withoutPasskeyAutofill } from "./support/webauthn";

/**
 * Passkeys seen by an app (openid-client, ID token checked with jose): an app that asks for a
 * phishing-resistant login (`acr_values=urn:gatehouse:loa:3`) gets it from a passkey, either as the login
 * itself or as the second step after a password, and the ID token says so in `acr` and `amr` (RFC 8176).
 */
const PHISHING_RESISTANT = "urn:gatehouse:loa:3";

const rp = receiverForSuite();

describe("passkeys and OIDC step-up (acr_values, acr/amr in the ID token)", () => {
  it("satisfies acr_values=loa:3 with a passkey login, and with a passkey as second step after a password", async () => {
    const client = await registerClient({ redirect_uris: [rp.redirectUri], grant_types: ["authorization_code"], scope: "openid email", first_party: true });
    const config = await discover(client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret ?? ""));
    const user = await createUser("passkey-oidc");
    const browser = await openBrowser();
    try {
      const { page, context } = browser;
      await withoutPasskeyAutofill(page);
      await logInWithForm(page, user);
      await addVirtualAuthenticator(page, "internal");
      await page.goto("/account/passkeys");
      await Promise.all([page.waitForURL("**/account/passkeys?notice=added"), page.click("#passkey-add")]);

      /** One authorization request asking for loa:3; `complete` gets the browser from Gatehouse's pages to the app. */
      const authorize = async (complete: () => Promise<void>) => {
        await context.clearCookies();
        const checks = await pkceChecks();
        const from = rp.receiver.received.length;
        await page.goto(oidc.buildAuthorizationUrl(config, { ...codeRequest(rp.redirectUri, checks, "openid email"), acr_values: PHISHING_RESISTANT }).href);
        await page.waitForURL("**/login?**");
        await complete();
        const callback = await rp.receiver.waitFor((request) => request.url.pathname === "/cb", { from });
        const tokens = await oidc.authorizationCodeGrant(config, callbackInput(rp.receiver, callback), {
          pkceCodeVerifier: checks.verifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        return (await verifyWithJose(tokens.id_token ?? "", { audience: client.client_id })).payload;
      };

      // 1. The passkey is the login: one ceremony, phishing resistant and multi-factor on its own.
      const passwordless = await authorize(async () => {
        await Promise.all([page.waitForURL((url) => url.origin === rp.receiver.origin), page.click("#passkey-login")]);
      });
      expect(passwordless.sub).toBe(user.id);
      expect(passwordless.acr).toBe(PHISHING_RESISTANT);
      expect(passwordless.amr).toEqual(expect.arrayContaining(["hwk", "user", "mfa"]));
      expect(passwordless.amr).not.toContain("pwd");

      // 2. A password does not reach loa:3: the second step offers the passkey, and then it does.
      const stepped = await authorize(async () => {
        await page.fill("#email", user.email);
        await page.fill("#password", user.password);
        await Promise.all([page.waitForURL("**/login/mfa**"), page.click('form[action="/login"] button[type="submit"]')]);
        expect(await page.locator("#passkey-mfa").count()).toBe(1);
        await Promise.all([page.waitForURL((url) => url.origin === rp.receiver.origin), page.click("#passkey-mfa")]);
      });
      expect(stepped.acr).toBe(PHISHING_RESISTANT);
      expect(stepped.amr).toEqual(expect.arrayContaining(["pwd", "hwk", "mfa"]));
    } finally {
      await browser.close();
    }
  });
});

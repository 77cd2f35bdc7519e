import { afterAll, describe, expect, it } from "vitest";
import { offeredSignupMethods } from "../../src/services/signup-methods/offered-methods";
import { translator } from "../../src/ui/i18n";
import type { PageContext } from "../../src/ui/layout";
import { SignupPage } from "../../src/ui/pages/auth-pages";
import { defaultTheme } from "../../src/ui/theme";
import { admin } from "../admin/helpers";
import { createTestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { pausedAuthorization } from "../helpers/oidc";

afterAll(async () => {
  await admin("/admin/v1/branding", { method: "PUT", json: {} });
});

const LINKS = ["/signup/code", "/signup/link", "/signup/sms"];

describe("the sign-up page offers every method the branding picks, in its order", () => {
  it("without a branding it is the page it always was: password, passkey (and social buttons)", async () => {
    const html = await (await new Browser().get("/signup")).text();
    expect(html).toContain('action="/signup"');
    expect(html).toContain('href="/signup/passkey"');
    for (const link of LINKS) expect(html).not.toContain(`href="${link}`);
  });

  it("shows each chosen method in the app's order, keeping return_to in every link", async () => {
    const client = await createTestClient();
    const put = await admin(`/admin/v1/branding/clients/${client.clientId}`, {
      method: "PUT",
      json: { signup_methods: ["sms", "magic_link", "password", "email_code"] },
    });
    expect(put.status).toBe(200);
    const browser = new Browser();
    const { returnTo } = await pausedAuthorization(browser, client);
    const html = await (await browser.get(`/signup?${new URLSearchParams({ return_to: returnTo })}`)).text();
    const query = new URLSearchParams({ return_to: returnTo }).toString().replace(/&/g, "&amp;");
    const positions = [`href="/signup/sms?${query}"`, `href="/signup/link?${query}"`, 'action="/signup"', `href="/signup/code?${query}"`].map((needle) =>
      html.indexOf(needle),
    );
    expect(positions.every((position) => position > -1)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).not.toContain("/signup/passkey");
  });

  it("hides what the deployment does not offer (SMS without a provider)", async () => {
    expect(offeredSignupMethods({ sms: { enabled: false } } as never)).not.toContain("sms");
    expect(offeredSignupMethods({ sms: { enabled: true } } as never)).toContain("sms");
    const page: PageContext = {
      t: translator("en"),
      locale: "en",
      nonce: "n",
      csrfToken: "csrf",
      currentPath: "/signup",
      theme: { ...defaultTheme, signupMethods: ["sms", "email_code"] },
    };
    const html = (await (<SignupPage page={page} minLength={8} available={offeredSignupMethods({ sms: { enabled: false } } as never)} />)).toString();
    expect(html).toContain('href="/signup/code"');
    expect(html).not.toContain("/signup/sms");
  });

  it("the method pages carry CSRF tokens and the autocomplete tokens email, tel and one-time-code", async () => {
    const browser = new Browser();
    for (const path of ["/signup/code", "/signup/link", "/signup/sms"]) {
      const html = await (await browser.get(path)).text();
      expect(html, path).toContain('name="csrf_token"');
      expect(html, path).toContain('autocomplete="email"');
      expect(html, path).toContain('autocomplete="name"');
    }
    expect(await (await browser.get("/signup/sms")).text()).toContain('autocomplete="tel"');
  });

  it("German pages and mails", async () => {
    const browser = new Browser();
    const html = await (await browser.fetch("/signup/sms", { headers: { "accept-language": "de" } })).text();
    expect(html).toContain("Mit Ihrer Mobilnummer registrieren");
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { composeEmail } from "../../src/services/emails";
import { defaultTheme } from "../../src/ui/theme";
import { admin } from "../admin/helpers";
import { createTestClient, pkcePair, type TestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { type Mail, uniqueEmail, waitForMail } from "../helpers/outbox";

afterAll(async () => {
  await admin("/admin/v1/branding", { method: "PUT", json: {} });
});

/** Starts an authorization request and follows it to the login page's URL (`/login?return_to=/authorize?interaction=…`). */
async function loginPathFor(browser: Browser, client: TestClient): Promise<string> {
  const { challenge } = await pkcePair();
  const params = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid email",
    state: "s",
    nonce: "n",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const response = await browser.get(`/authorize?${params}`);
  expect(response.status).toBe(303);
  const location = response.headers.get("location") ?? "";
  expect(location).toMatch(/^\/login\?return_to=/);
  return location;
}

async function brandClient(client: TestClient, json: Record<string, unknown>) {
  expect((await admin(`/admin/v1/branding/clients/${client.clientId}`, { method: "PUT", json })).status).toBe(200);
}

describe("hosted pages follow the branding of the app the visitor came from", () => {
  it("shows each app's name, colours, custom CSS, legal links and custom text; other apps are not affected", async () => {
    const acme = await createTestClient();
    const beta = await createTestClient();
    await brandClient(acme, {
      name: "Acme Shop",
      colors: { primary: "#ff6600" },
      font_family: '"DejaVu Sans", sans-serif',
      custom_css: ".card{border:3px solid #ff6600}",
      terms_url: "https://acme.example/terms",
      privacy_url: "https://acme.example/privacy",
      custom_text: { en: { "login.title": "Welcome back to Acme" }, de: { "login.title": "Willkommen zurück bei Acme" } },
    });
    await brandClient(beta, { name: "Beta Bank", colors: { primary: "#003366" } });

    const browser = new Browser();
    const acmeLogin = await (await browser.get(await loginPathFor(browser, acme))).text();
    expect(acmeLogin).toContain("Acme Shop");
    expect(acmeLogin).toContain("--gh-primary:#ff6600");
    expect(acmeLogin).toContain('body{font-family:"DejaVu Sans", sans-serif}');
    expect(acmeLogin).toContain(".card{border:3px solid #ff6600}");
    expect(acmeLogin).toContain('href="https://acme.example/terms"');
    expect(acmeLogin).toContain("Welcome back to Acme");

    const german = await (await browser.fetch(await loginPathFor(browser, acme), { headers: { "accept-language": "de" } })).text();
    expect(german).toContain("Willkommen zurück bei Acme");
    expect(german).toContain('lang="de"');

    const betaLogin = await (await browser.get(await loginPathFor(browser, beta))).text();
    expect(betaLogin).toContain("Beta Bank");
    expect(betaLogin).toContain("--gh-primary:#003366");
    expect(betaLogin).not.toContain("Acme");

    // Without an app: the deployment's default.
    const plain = await (await new Browser().get("/login")).text();
    expect(plain).toContain(defaultTheme.brandName);
    expect(plain).toContain(`--gh-primary:${defaultTheme.primary}`);
  });

  it("an app's overrides sit on the global branding, field by field", async () => {
    const client = await createTestClient();
    await admin("/admin/v1/branding", { method: "PUT", json: { name: "Global Corp", colors: { primary: "#111111", background: "#eeeeee" } } });
    await brandClient(client, { colors: { primary: "#222222" } });
    const browser = new Browser();
    const page = await (await browser.get(await loginPathFor(browser, client))).text();
    expect(page).toContain("Global Corp");
    expect(page).toContain("--gh-primary:#222222");
    expect(page).toContain("--gh-bg:#eeeeee");
    await admin("/admin/v1/branding", { method: "PUT", json: {} });
  });

  it("a form-posted authorization request still reads its body after the branding middleware", async () => {
    const client = await createTestClient();
    await brandClient(client, { name: "Posted App" });
    const { challenge } = await pkcePair();
    const body = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: "openid",
      state: "s",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const browser = new Browser();
    const response = await browser.fetch("/authorize", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    expect(response.status).toBe(303);
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(/^\/login\?return_to=/);
    expect(await (await browser.get(location)).text()).toContain("Posted App");
    // An error page of a posted request names the app from its client_id.
    body.set("redirect_uri", "https://evil.example/cb");
    const refused = await browser.fetch("/authorize", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Posted App");
  });

  it("a forged return_to cannot pick an app's branding: only a sealed interaction names the app", async () => {
    const client = await createTestClient();
    await brandClient(client, { name: "Trusted Brand" });
    const forged = await (await new Browser().get(`/login?return_to=${encodeURIComponent(`/authorize?client_id=${client.clientId}`)}`)).text();
    expect(forged).not.toContain("Trusted Brand");
    const tampered = await (await new Browser().get(`/login?return_to=${encodeURIComponent("/authorize?interaction=not-a-sealed-value")}`)).text();
    expect(tampered).toContain(defaultTheme.brandName);
  });

  it("the sign-up page shows the app's sign-up methods in its order", async () => {
    const passkeyOnly = await createTestClient();
    const passkeyFirst = await createTestClient();
    await brandClient(passkeyOnly, { signup_methods: ["passkey"] });
    await brandClient(passkeyFirst, { signup_methods: ["passkey", "password"] });
    const browser = new Browser();
    const signupOf = async (client: TestClient) => (await browser.get((await loginPathFor(browser, client)).replace(/^\/login/, "/signup"))).text();

    const only = await signupOf(passkeyOnly);
    expect(only).toContain("/signup/passkey");
    expect(only).not.toContain('action="/signup"');
    const first = await signupOf(passkeyFirst);
    expect(first.indexOf("/signup/passkey")).toBeGreaterThan(-1);
    expect(first.indexOf("/signup/passkey")).toBeLessThan(first.indexOf('action="/signup"'));
    const plain = await (await new Browser().get("/signup")).text();
    expect(plain.indexOf('action="/signup"')).toBeLessThan(plain.indexOf("/signup/passkey"));
  });

  it("the verification email of a sign-up started from an app carries that app's brand", async () => {
    const client = await createTestClient();
    await brandClient(client, { name: "Mailer App", colors: { primary: "#7700aa" } });
    const browser = new Browser();
    const loginPath = await loginPathFor(browser, client);
    const returnTo = new URLSearchParams(loginPath.split("?")[1]).get("return_to") ?? "";
    const email = uniqueEmail("branded");
    const response = await browser.post("/signup", { email, password: "maple tortoise umbrella 42", return_to: returnTo });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Mailer App");
    const [mail] = (await waitForMail(email)) as (Mail & { html: string | null })[];
    expect(mail?.text).toContain("Mailer App");
    expect(mail?.html).toContain("color:#7700aa");
  });
});

describe("themed emails", () => {
  it("uses the theme's name, colours, logo, font and custom text; escapes everything", () => {
    const theme = {
      ...defaultTheme,
      brandName: "Acme & Co",
      primary: "#ff6600",
      logoUrl: "https://cdn.acme.example/logo.png",
      fontFamily: '"DejaVu Sans", sans-serif',
      customText: { de: { "email.verify.subject": "Acme: Bitte bestätigen" } },
    };
    const english = composeEmail("verify", "a@example.com", "en", { link: "https://id.example/verify?token=x", code: "123456", minutes: 30 }, theme);
    expect(english.text).toContain("Acme & Co");
    expect(english.html).toContain("Acme &#38; Co");
    expect(english.html).toContain('style="color:#ff6600"');
    expect(english.html).toContain('src="https://cdn.acme.example/logo.png"');
    expect(english.html).toContain("font-family:&#34;DejaVu Sans&#34;, sans-serif");
    const german = composeEmail("verify", "a@example.com", "de", { link: "https://id.example/verify?token=x", code: "123456", minutes: 30 }, theme);
    expect(german.subject).toBe("Acme: Bitte bestätigen");
    const plain = composeEmail("verify", "a@example.com", "en", { link: "https://id.example/verify?token=x", code: "123456", minutes: 30 });
    expect(plain.html).toContain(defaultTheme.brandName);
    expect(plain.html).not.toContain("Acme");
  });
});

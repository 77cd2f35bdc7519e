import { afterEach, describe, expect, it } from "vitest";
import { brandedApp } from "./branding-support";
import { type BrowserSession, openBrowser } from "./support/browser";
import { adminApi, createUser } from "./support/oidc-rp";

describe("branded login pages per app, in Chromium", () => {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });
  const open = async (locale: string) => {
    const browser = await openBrowser({ locale });
    opened.push(browser);
    return browser;
  };

  it("shows each app's own brand, colours, CSS and text, in English and in German", async () => {
    const acme = await brandedApp({
      name: "Acme Shop",
      colors: { primary: "#ff6600", primary_text: "#000000" },
      custom_css: "h1{letter-spacing:2px}",
      custom_text: { en: { "login.title": "Welcome to Acme" }, de: { "login.title": "Willkommen bei Acme" } },
      terms_url: "https://acme.example/terms",
    });
    const beta = await brandedApp({ name: "Beta Bank", colors: { primary: "#003366" } });

    const english = await open("en-GB");
    await english.page.goto(await acme.authorizePath());
    expect(new URL(english.page.url()).pathname).toBe("/login");
    expect(await english.page.textContent("h1")).toBe("Welcome to Acme");
    expect(await english.page.textContent(".brand")).toContain("Acme Shop");
    expect(await english.page.title()).toContain("Acme Shop");
    // The styles really apply (CSP nonce included): computed, not just present in the markup.
    const button = 'form[action="/login"] button[type="submit"]';
    expect(await english.page.$eval(button, (element) => getComputedStyle(element).backgroundColor)).toBe("rgb(255, 102, 0)");
    expect(await english.page.$eval("h1", (element) => getComputedStyle(element).letterSpacing)).toBe("2px");
    expect(await english.page.getAttribute(".legal a", "href")).toBe("https://acme.example/terms");
    expect(await english.page.textContent(".legal a")).toBe("Terms of service");

    const german = await open("de-DE");
    await german.page.goto(await acme.authorizePath());
    expect(await german.page.getAttribute("html", "lang")).toBe("de");
    expect(await german.page.textContent("h1")).toBe("Willkommen bei Acme");
    expect(await german.page.textContent('label[for="email"]')).toBe("E-Mail-Adresse");
    expect(await german.page.textContent(".legal a")).toBe("Nutzungsbedingungen");

    await german.page.goto(await beta.authorizePath());
    expect(await german.page.textContent(".brand")).toContain("Beta Bank");
    expect(await german.page.textContent("h1")).toBe("Anmelden");
    expect(await german.page.$eval(button, (element) => getComputedStyle(element).backgroundColor)).toBe("rgb(0, 51, 102)");
  });

  it("keeps the app's branding after a failed login (the form posts return_to)", async () => {
    const app = await brandedApp({ name: "Gamma Games", colors: { primary: "#118833" } });
    const { page } = await open("en-GB");
    await page.goto(await app.authorizePath());
    await page.fill("#email", "nobody@example.com");
    await page.fill("#password", "wrong password entirely");
    await Promise.all([page.waitForLoadState("load"), page.click('form[action="/login"] button[type="submit"]')]);
    expect(await page.textContent(".brand")).toContain("Gamma Games");
  });

  it("sanitized custom CSS cannot run script in the page", async () => {
    const app = await brandedApp({ custom_css: "a{color:red}</style><script>window.pwned=1</script><style>" });
    const { page } = await open("en-GB");
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(await app.authorizePath());
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$$eval("script", (scripts) => scripts.filter((script) => script.textContent?.includes("pwned")).length)).toBe(0);
    expect(errors).toEqual([]);
  });

  it("an app that requires a verified phone stops a login without one on a branded page that links to the phone step", async () => {
    const app = await brandedApp({ name: "Phone First" });
    const patched = await adminApi("PATCH", `/clients/${app.clientId}`, { require_verified: ["phone"] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const account = await createUser("phone-required");
    const { page } = await open("de-DE");
    await page.goto(await app.authorizePath());
    await page.fill("#email", account.email);
    await page.fill("#password", account.password);
    await Promise.all([page.waitForURL("**/verify/required?**"), page.click('form[action="/login"] button[type="submit"]')]);
    expect(await page.textContent(".brand")).toContain("Phone First");
    expect(await page.textContent("h1")).toBe("Bestätigen Sie Ihre Telefonnummer");
    // The phone step of the journey, continuing at this authorization.
    expect(await page.getAttribute('a[href^="/verify/phone?return_to="]', "href")).toMatch(/^\/verify\/phone\?return_to=%2Fauthorize%3Finteraction%3D/);
    // Continuing without a verified phone comes straight back here: no code reaches the app.
    await Promise.all([page.waitForURL("**/verify/required?**"), page.click(`a[href^="/authorize?interaction="]`)]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { type BrowserSession, openBrowser } from "./support/browser";

describe("page language in Chromium", () => {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });
  const open = async (locale: string) => {
    const browser = await openBrowser({ locale });
    opened.push(browser);
    return browser;
  };

  it("answers a German browser (Accept-Language: de-DE) in German", async () => {
    const { page } = await open("de-DE");
    const accepted = page.waitForRequest((request) => request.url().endsWith("/login"));
    await page.goto("/login");
    expect((await accepted).headers()["accept-language"]).toMatch(/^de-DE/);
    expect(await page.getAttribute("html", "lang")).toBe("de");
    expect(await page.textContent("h1")).toBe("Anmelden");
    expect(await page.textContent('label[for="email"]')).toBe("E-Mail-Adresse");
    await page.goto("/signup");
    expect(await page.textContent("h1")).toBe("Konto erstellen");
  });

  it("follows ?ui_locales=de in an English browser", async () => {
    const { page } = await open("en-GB");
    await page.goto("/login");
    expect(await page.textContent("h1")).toBe("Log in");
    await page.goto("/login?ui_locales=de");
    expect(await page.getAttribute("html", "lang")).toBe("de");
    expect(await page.textContent("h1")).toBe("Anmelden");
  });

  it("keeps the language chosen with the switch in the header", async () => {
    const { page } = await open("en-GB");
    await page.goto("/signup");
    await Promise.all([page.waitForURL("**/signup"), page.click('form.lang button[value="de"]')]);
    expect(await page.textContent("h1")).toBe("Konto erstellen");
    await page.goto("/login");
    expect(await page.textContent("h1")).toBe("Anmelden");
  });
});

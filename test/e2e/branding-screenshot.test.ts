import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodePng, diffRatio } from "./branding-png";
import { brandedApp } from "./branding-support";
import { type BrowserSession, openBrowser } from "./support/browser";

const BASELINE = join(dirname(new URL(import.meta.url).pathname), "__screenshots__", "branding-login.png");
/** Anti-aliasing and sub-pixel noise stay well under this; a shifted or missing block does not. */
const TOLERANCE = 0.005;

/**
 * A screenshot of a branded login page against the committed baseline. The page is rendered only with
 * DejaVu Sans (`.ci/run` installs fonts-dejavu-core), so the baseline does not depend on the machine's
 * default fonts. `UPDATE_SCREENSHOTS=1` rewrites the baseline (review the PNG before committing it).
 */
describe("branded login page: screenshot against the baseline", () => {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });

  async function screenshotOfBrandedLogin(breakLayout = false): Promise<Buffer> {
    const app = await brandedApp({
      name: "Screenshot Shop",
      colors: { primary: "#6a1b9a", primary_text: "#ffffff", background: "#f3e5f5", surface: "#ffffff", text: "#212121" },
      font_family: '"DejaVu Sans"',
      // Every text in one font, including form controls (which do not inherit by default everywhere).
      custom_css: '*{font-family:"DejaVu Sans"}',
      terms_url: "https://shop.example/terms",
    });
    const browser = await openBrowser({ locale: "en-GB" });
    opened.push(browser);
    const { page } = browser;
    await page.setViewportSize({ width: 480, height: 760 });
    await page.goto(await app.authorizePath());
    await page.evaluate(() => document.fonts.ready);
    // No focus ring or caret that depends on timing.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    if (breakLayout) {
      // CSSOM changes are allowed under the CSP: a card squeezed to half width, as a broken stylesheet would.
      await page.evaluate(() => {
        const card = document.querySelector<HTMLElement>(".card");
        if (card) card.style.width = "50%";
      });
    }
    return page.screenshot({ animations: "disabled", caret: "hide" });
  }

  it("matches the baseline", async () => {
    const actual = await screenshotOfBrandedLogin();
    if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(BASELINE)) {
      mkdirSync(dirname(BASELINE), { recursive: true });
      writeFileSync(BASELINE, actual);
      if (process.env.UPDATE_SCREENSHOTS !== "1") throw new Error(`no baseline yet: wrote ${BASELINE}; review and commit it, then run again`);
    }
    const ratio = diffRatio(decodePng(readFileSync(BASELINE)), decodePng(actual));
    if (ratio > TOLERANCE) writeFileSync(BASELINE.replace(/\.png$/, ".actual.png"), actual);
    expect(ratio, "share of pixels that differ from the baseline (see *.actual.png)").toBeLessThanOrEqual(TOLERANCE);
  });

  it("notices a broken layout (the comparison can fail)", async () => {
    const broken = await screenshotOfBrandedLogin(true);
    expect(diffRatio(decodePng(readFileSync(BASELINE)), decodePng(broken))).toBeGreaterThan(TOLERANCE);
  });
});

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterEach, expect } from "vitest";
import type { Account } from "./accounts";
import { baseUrl, randomIp } from "./http-client";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // The worker listens on 127.0.0.1 only; `localhost` must not reach whatever may listen on ::1.
  "--host-resolver-rules=MAP localhost 127.0.0.1",
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A separate headless Chromium (its own profile, so its own cookies) on the issuer origin. Each one
 * sends its own `CF-Connecting-IP`, standing in for Cloudflare, so rate limits never leak between tests.
 */
export async function openBrowser(options: { locale?: string } = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), "gatehouse-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    baseURL: baseUrl(),
    locale: options.locale ?? "en-GB",
    extraHTTPHeaders: { "CF-Connecting-IP": randomIp() },
  });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  context.on("page", retryHungNavigation);
  const page = context.pages()[0] ?? (await context.newPage());
  retryHungNavigation(page);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A navigation that waits this long for its page is taken for hung, and made once more. */
const NAVIGATION_DEADLINE_MS = 20_000;

/**
 * wrangler dev's local proxy has been seen to leave a request hanging (docs/testing.md), in Chromium too. A
 * `page.goto` is a GET, which changes nothing: one that hangs is made once more, like the HTTP client's GETs.
 */
function retryHungNavigation(page: Page): void {
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    try {
      return await goto(url, { timeout: NAVIGATION_DEADLINE_MS, ...options });
    } catch (error) {
      if (!(error instanceof Error && error.name === "TimeoutError")) throw error;
      return goto(url, options);
    }
  };
}

/**
 * For a `describe` block: a function that opens a Chromium session, each closed after the test that
 * opened it. Call it in the block's body (it registers an `afterEach`).
 */
export function browsersClosedAfterEach(): () => Promise<BrowserSession> {
  const opened: BrowserSession[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((browser) => browser.close()));
  });
  return async () => {
    const browser = await openBrowser();
    opened.push(browser);
    return browser;
  };
}

/** Logs in through the form and waits for the account page. */
export async function logInWithForm(page: Page, account: Account): Promise<void> {
  await page.goto("/login");
  await page.fill("#email", account.email);
  await page.fill("#password", account.password);
  await Promise.all([page.waitForURL("**/account"), page.click('form[action="/login"] button[type="submit"]')]);
  await expect.poll(() => page.textContent('[data-testid="account-email"]')).toBe(account.email);
}

/** Where the browser ends up when it opens /account: `/account` with a live session, `/login` without. */
export async function pathAfterOpeningAccount(page: Page): Promise<string> {
  await page.goto("/account");
  return new URL(page.url()).pathname;
}

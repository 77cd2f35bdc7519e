import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser, stripPerRequest } from "../helpers/http";
import { type Mail, mailTo, uniqueEmail, waitForMail } from "../helpers/outbox";
import { userIdOf } from "./helpers";

/** Asks for a link in `browser`; returns the link's path and the code the mail carries. */
async function requestLink(browser: Browser, email: string, fields: Record<string, string> = {}): Promise<{ path: string; code: string; mail: Mail }> {
  const asked = await browser.post("/login/link", { email, ...fields });
  expect(asked.status).toBe(200);
  expect(await asked.text()).toContain('action="/login/link/code"');
  const mail = (await waitForMail(email, 2)).find((message) => message.subject === "Your login link");
  if (!mail) throw new Error("no magic link mail");
  const path = /http:\/\/localhost:8787(\/login\/link\/[A-Za-z0-9_-]{43})\b/.exec(mail.text)?.[1];
  const code = /code in the browser where you asked for the link: (\d{6})/.exec(mail.text)?.[1];
  if (!path || !code) throw new Error(`link or code missing in: ${mail.text}`);
  return { path, code, mail };
}

async function openRow(email: string) {
  return env.DB.prepare("SELECT attempts, consumed_at, browser_hash, token_hash, code_hash FROM one_time_codes WHERE user_id = ? AND purpose = 'magic_link'")
    .bind(await userIdOf(email))
    .first<{ attempts: number; consumed_at: number | null; browser_hash: string; token_hash: string; code_hash: string }>();
}

describe("magic link login (/login/link)", () => {
  it("opens a confirmation page (a GET never consumes the link) and the POST logs in once", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { path } = await requestLink(browser, email);
    expect(browser.cookies.get("__Host-gh_magic")).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}\./);
    for (let i = 0; i < 2; i++) {
      const page = await browser.get(path);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('action="/login/link/confirm"');
    }
    // A mail scanner's prefetch (no cookie) burns nothing either.
    expect((await new Browser().get(path)).status).toBe(200);
    expect((await openRow(email))?.consumed_at).toBeNull();
    const token = path.split("/").pop() ?? "";
    const done = await browser.post("/login/link/confirm", { token });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account");
    expect(browser.cookies.has("__Host-gh_session")).toBe(true);
    expect(browser.cookies.has("__Host-gh_magic")).toBe(false);
    // Second use: a friendly refusal, on the GET and the POST.
    const again = await browser.post("/login/link/confirm", { token });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This login link is invalid, already used or expired.");
    expect((await browser.get(path)).status).toBe(400);
  });

  it("stores only hashes: of the token, of the code (keyed) and of the browser's secret", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { path, code } = await requestLink(browser, email);
    const row = await openRow(email);
    const token = path.split("/").pop() ?? "";
    const secret = (browser.cookies.get("__Host-gh_magic") ?? "").split(".")[1] ?? "";
    for (const column of [row?.token_hash, row?.code_hash, row?.browser_hash]) {
      expect(column).toMatch(/^[0-9a-f]{64}$/);
      expect(column).not.toContain(token);
      expect(column).not.toBe(code);
      expect(column).not.toContain(secret);
    }
  });

  it("opened in another browser, it does not log that browser in: it shows the code, which works in the asking browser", async () => {
    const asking = new Browser();
    const email = await createVerifiedAccount(asking);
    const { path, code } = await requestLink(asking, email, { return_to: "/account?from=link" });
    const other = new Browser();
    const shown = await other.get(path);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain(`data-testid="magic-link-code">${code}<`);
    expect(html).not.toContain('action="/login/link/confirm"');
    // Posting the confirmation from there changes nothing either.
    const forced = await other.post("/login/link/confirm", { token: path.split("/").pop() ?? "" });
    expect(forced.status).toBe(200);
    expect(other.cookies.has("__Host-gh_session")).toBe(false);
    expect((await openRow(email))?.consumed_at).toBeNull();
    // The code alone, without the asking browser's cookie, is useless.
    expect((await other.post("/login/link/code", { email, code })).status).toBe(400);
    const done = await asking.post("/login/link/code", { email, code });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account?from=link");
    expect(asking.cookies.has("__Host-gh_session")).toBe(true);
    // The link is spent with it.
    expect((await asking.get(path)).status).toBe(400);
  });

  it("kills the link's code after five wrong tries", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { path, code } = await requestLink(browser, email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect((await browser.post("/login/link/code", { email, code: wrong })).status).toBe(400);
    expect((await openRow(email))?.consumed_at).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await browser.post("/login/link/code", { email, code })).status).toBe(400);
    expect((await browser.get(path)).status).toBe(400);
    expect(browser.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("a newer link replaces the older one", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const first = await requestLink(browser, email);
    await browser.post("/login/link", { email });
    await waitForMail(email, 3);
    expect((await browser.get(first.path)).status).toBe(400);
  });

  it("answers the same for an unknown address (cookie included) and mails nobody", async () => {
    const browser = new Browser();
    const known = await createVerifiedAccount(browser);
    const unknown = uniqueEmail("nobody");
    const a = await browser.post("/login/link", { email: known });
    const b = await browser.post("/login/link", { email: unknown });
    expect(a.headers.getSetCookie().some((line) => line.startsWith("__Host-gh_magic="))).toBe(true);
    expect(b.headers.getSetCookie().some((line) => line.startsWith("__Host-gh_magic="))).toBe(true);
    const strip = (html: string) => stripPerRequest(html).replaceAll(known, "X").replaceAll(unknown, "X");
    expect(strip(await b.text())).toBe(strip(await a.text()));
    await waitForMail(known, 2);
    expect(await mailTo(unknown)).toHaveLength(0);
    const wrong = await browser.post("/login/link/code", { email: unknown, code: "123456" });
    expect(wrong.status).toBe(400);
  });

  it("refuses made-up tokens and a code from a browser that never asked", async () => {
    const browser = new Browser();
    expect((await browser.get(`/login/link/${"A".repeat(43)}`)).status).toBe(400);
    expect((await browser.get("/login/link/short")).status).toBe(400);
    expect((await browser.post("/login/link/confirm", { token: "A".repeat(43) })).status).toBe(400);
    const noRequest = await browser.post("/login/link/code", { code: "123456" });
    expect(noRequest.status).toBe(400);
    expect(await noRequest.text()).toContain("This browser has no open login link.");
  });
});

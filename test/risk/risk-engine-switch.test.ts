import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import worker from "../../src/index";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { Browser, ORIGIN } from "../helpers/http";

async function riskEvents(email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM risk_events WHERE user_id = (SELECT id FROM users WHERE email = ?)")
    .bind(email)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Logs in through the worker with extra environment variables (the browser's cookies and address). */
async function logInWith(browser: Browser, email: string, vars: Record<string, string>): Promise<Response> {
  const csrf = browser.cookies.get("__Host-gh_csrf") ?? "";
  const request = new Request(`${ORIGIN}/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: ORIGIN,
      "cf-connecting-ip": browser.ip,
      cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
    },
    body: new URLSearchParams({ csrf_token: csrf, email, password: GOOD_PASSWORD }),
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...vars } as typeof env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("RISK_ENGINE switch", () => {
  it("is on by default and accepts only on or off", () => {
    const base = env as unknown as Record<string, unknown>;
    expect(loadConfig({ ...base }).riskEngine).toBe("on");
    expect(loadConfig({ ...base, RISK_ENGINE: "off" }).riskEngine).toBe("off");
    expect(() => loadConfig({ ...base, RISK_ENGINE: "maybe" })).toThrow(/RISK_ENGINE/);
  });

  it("off: the login still works but nothing is scored or stored; on: the decision is stored", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const off = await logInWith(browser, email, { RISK_ENGINE: "off" });
    expect(off.status).toBe(303);
    expect(off.headers.get("location")).toBe("/account");
    expect(await riskEvents(email)).toBe(0);
    const on = await logInWith(browser, email, { RISK_ENGINE: "on" });
    expect(on.status).toBe(303);
    expect(await riskEvents(email)).toBe(1);
  });
});

import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { findByEmail } from "../admin/helpers";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { basicAuth, createTestClient, type TestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { authorizeUrl } from "../helpers/oidc";
import { profileOf, setSchema } from "./helpers";

afterAll(() => setSchema([]));

const text = (key: string, ask: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  key,
  type: "text",
  label: { en: key, de: key },
  ask,
  ...extra,
});

/** Logs in with the password and returns where the login sends the browser. */
async function login(browser: Browser, email: string, returnTo?: string): Promise<string> {
  const response = await browser.post("/login", { email, password: GOOD_PASSWORD, ...(returnTo ? { return_to: returnTo } : {}) });
  expect(response.status).toBe(303);
  return response.headers.get("location") ?? "";
}

const PROMPT_TO_ACCOUNT = "/profile/complete?return_to=%2Faccount";

async function userIdOf(email: string): Promise<string> {
  const [user] = await findByEmail(email);
  return user?.id ?? "";
}

describe("the login interstitial", () => {
  it("asks an after_logins field from the n-th login on; Not now rests it for three logins; an answer ends it", async () => {
    await setSchema([text("given_name", { when: "after_logins", n: 2 })]);
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    expect(await login(browser, email)).toBe("/account");
    expect(await login(browser, email)).toBe(PROMPT_TO_ACCOUNT);
    // The session started before the interstitial: it is no wall, the account page is reachable.
    expect((await browser.get("/account")).status).toBe(200);
    const page = await browser.get(PROMPT_TO_ACCOUNT);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-field="given_name"');
    expect(html).toContain("Not now");
    // The language switch comes back to this page, still on its way to the same place.
    expect(html).toContain(`name="return_to" value="${PROMPT_TO_ACCOUNT}"`);
    const skipped = await browser.post("/profile/complete/skip", { return_to: "/account" });
    expect(skipped.status).toBe(303);
    expect(skipped.headers.get("location")).toBe("/account");
    expect(await login(browser, email)).toBe("/account"); // 3rd
    expect(await login(browser, email)).toBe("/account"); // 4th
    expect(await login(browser, email)).toBe(PROMPT_TO_ACCOUNT); // 5th: asked again
    const answered = await browser.post("/profile/complete", { return_to: "/account", given_name: "Ann" });
    expect(answered.status).toBe(303);
    expect(answered.headers.get("location")).toBe("/account");
    expect(await login(browser, email)).toBe("/account");
    expect(await profileOf(await userIdOf(email))).toEqual({ given_name: "Ann" });
    const progress = await env.DB.prepare("SELECT login_count FROM profile_progress WHERE user_id = ?")
      .bind(await userIdOf(email))
      .first<{ login_count: number }>();
    expect(progress?.login_count).toBe(6);
  });

  it("asks at most three fields, required ones first, and offers no Not now when one is required", async () => {
    await setSchema([
      text("one", { when: "signup" }),
      text("two", { when: "signup" }),
      text("three", { when: "signup" }),
      text("four", { when: "signup" }),
      text("five", { when: "signup" }, { required: true }),
    ]);
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    expect(await login(browser, email)).toBe(PROMPT_TO_ACCOUNT);
    const html = await (await browser.get(PROMPT_TO_ACCOUNT)).text();
    expect([...html.matchAll(/data-field="(\w+)"/g)].map((match) => match[1])).toEqual(["five", "one", "two"]);
    expect(html).not.toContain("Not now");
    expect(html).toContain("The app you are signing in to needs these details.");
    // Skipping is refused while a required field is due; nothing is remembered.
    expect((await browser.post("/profile/complete/skip", { return_to: "/account" })).status).toBe(400);
    const empty = await browser.post("/profile/complete", { return_to: "/account", one: "1" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Please answer this question.");
    expect(await profileOf(await userIdOf(email))).toEqual({});
    const done = await browser.post("/profile/complete", { return_to: "/account", five: "5", one: "1" });
    expect(done.headers.get("location")).toBe("/account");
    // The rest are optional and asked on the next login, with a Not now.
    expect(await login(browser, email)).toBe(PROMPT_TO_ACCOUNT);
    const next = await (await browser.get(PROMPT_TO_ACCOUNT)).text();
    expect([...next.matchAll(/data-field="(\w+)"/g)].map((match) => match[1])).toEqual(["two", "three", "four"]);
    expect(next).toContain("Not now");
  });

  it("refuses forged and bad answers on the interstitial with nothing stored, and never redirects off-site", async () => {
    await setSchema([text("given_name", { when: "signup" }, { max_length: 10 })]);
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await login(browser, email);
    const forged: Record<string, string>[] = [
      { given_name: "Ann", email_verified: "true" },
      { given_name: "Ann", role: "admin" },
      { given_name: "<i>Ann</i>" },
      { given_name: "A".repeat(11) },
    ];
    for (const fields of forged) {
      const response = await browser.post("/profile/complete", { return_to: "/account", ...fields });
      expect(response.status).toBe(400);
    }
    expect(await profileOf(await userIdOf(email))).toEqual({});
    const offsite = await browser.post("/profile/complete", { return_to: "//evil.example/x", given_name: "Ann" });
    expect(offsite.headers.get("location")).toBe("/account");
    expect((await new Browser().get(PROMPT_TO_ACCOUNT)).headers.get("location")).toMatch(/^\/login/);
  });

  it("sends the browser straight on when no schema is set or nothing is due", async () => {
    await setSchema([]);
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    expect(await login(browser, email)).toBe("/account");
    const page = await browser.get(PROMPT_TO_ACCOUNT);
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/account");
  });
});

async function authorize(browser: Browser, client: TestClient, scope: string) {
  const { url, verifier } = await authorizeUrl(client, { scope });
  const response = await browser.get(url);
  const location = response.headers.get("location") ?? "";
  const returnTo = location.startsWith("/login") ? (new URL(`http://x${location}`).searchParams.get("return_to") ?? "") : "";
  return { returnTo, verifier, location };
}

async function tokens(client: TestClient, location: string, verifier: string) {
  const code = new URL(location).searchParams.get("code") ?? "";
  const response = await new Browser().fetch("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client) },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { id_token: string; access_token: string };
  const claims = JSON.parse(atob((body.id_token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
  const userinfo = (await (await new Browser().fetch("/userinfo", { headers: { authorization: `Bearer ${body.access_token}` } })).json()) as Record<
    string,
    unknown
  >;
  return { claims, userinfo };
}

describe("fields an app's scope needs, and the claims they become", () => {
  const TIER = "http://localhost:8787/claims/tier";
  const schema = [
    text("given_name", { when: "after_logins", n: 50 }),
    {
      key: "tier",
      type: "select",
      label: { en: "Membership" },
      required: true,
      ask: { when: "scope", scopes: ["loyalty"] },
      options: [
        { value: "basic", label: { en: "Basic" } },
        { value: "gold", label: { en: "Gold" } },
      ],
    },
  ];

  it("asks for a scope-triggered field during the authorization, then releases the answers in the ID token and userinfo", async () => {
    await setSchema(schema);
    const client = await createTestClient({ scope: "openid profile email loyalty" });
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { returnTo, verifier } = await authorize(browser, client, "openid loyalty");
    expect(returnTo).toMatch(/^\/authorize\?/);
    const destination = await login(browser, email, returnTo);
    expect(destination).toBe(`/profile/complete?return_to=${encodeURIComponent(returnTo)}`);
    const page = await (await browser.get(destination)).text();
    expect(page).toContain('data-field="tier"');
    expect(page).not.toContain('data-field="given_name"');
    const answered = await browser.post("/profile/complete", { return_to: returnTo, tier: "gold", given_name: "Ann" });
    expect(answered.headers.get("location")).toBe(returnTo);
    const toApp = await browser.get(returnTo);
    expect(toApp.headers.get("location")).toMatch(new RegExp(`^${client.redirectUri}\\?`));
    const { claims, userinfo } = await tokens(client, toApp.headers.get("location") ?? "", verifier);
    // `loyalty` releases the custom claim; given_name needs `profile`, which was not granted.
    expect(claims[TIER]).toBe("gold");
    expect(claims).not.toHaveProperty("given_name");
    expect(userinfo[TIER]).toBe("gold");
    expect(userinfo).not.toHaveProperty("given_name");

    // The session is still there: the app gets its code at once.
    const again = await authorize(browser, client, "openid profile email");
    const withProfile = await tokens(client, again.location, again.verifier);
    expect(withProfile.claims).toMatchObject({ given_name: "Ann", [TIER]: "gold", email, email_verified: true });
    expect(withProfile.userinfo).toMatchObject({ given_name: "Ann", [TIER]: "gold", email, email_verified: true });
  });

  it("does not ask for scope fields when the app does not request the scope, and stops releasing fields removed from the schema", async () => {
    await setSchema(schema);
    const client = await createTestClient({ scope: "openid profile email loyalty" });
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const { returnTo, verifier } = await authorize(browser, client, "openid profile");
    expect(await login(browser, email, returnTo)).toBe(returnTo);
    expect((await browser.post("/account/profile-details", { given_name: "Bo", tier: "basic" })).status).toBe(303);
    await setSchema([schema[0]]);
    const toApp = await browser.get(returnTo);
    const { claims } = await tokens(client, toApp.headers.get("location") ?? "", verifier);
    expect(claims.given_name).toBe("Bo");
    expect(claims).not.toHaveProperty(TIER);
  });
});

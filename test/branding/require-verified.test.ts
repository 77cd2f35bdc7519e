import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin } from "../admin/helpers";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { createTestClient, pkcePair, type TestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { codeIn, waitForMail } from "../helpers/outbox";

async function authorize(browser: Browser, client: TestClient, extra: Record<string, string> = {}) {
  const { challenge } = await pkcePair();
  const params = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid email",
    state: "st",
    nonce: "no",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  });
  return browser.get(`/authorize?${params}`);
}

/** A signed-in user whose email address is (no longer) verified, e.g. an account from before verification was enforced. */
async function signedInUnverified(): Promise<{ browser: Browser; email: string }> {
  const browser = new Browser();
  const email = await createVerifiedAccount(browser);
  await logIn(browser, email);
  await env.DB.prepare("UPDATE users SET email_verified = 0 WHERE email = ?").bind(email).run();
  return { browser, email };
}

describe("require_verified: apps get tokens only for verified contact details", () => {
  it("is client metadata the admin API validates and returns", async () => {
    const created = await admin("/admin/v1/clients", {
      json: { client_name: "Strict", redirect_uris: ["https://strict.example/cb"], require_verified: ["email"] },
    });
    expect(created.status).toBe(201);
    const client = (await created.json()) as { client_id: string; require_verified?: string[] };
    expect(client.require_verified).toEqual(["email"]);
    const bad = await admin("/admin/v1/clients", { json: { redirect_uris: ["https://strict.example/cb"], require_verified: ["fingerprint"] } });
    expect(bad.status).toBe(400);
    const twice = await admin("/admin/v1/clients", { json: { redirect_uris: ["https://strict.example/cb"], require_verified: ["email", "email"] } });
    expect(twice.status).toBe(400);
  });

  it("sends an unverified user to verify (code by email), then continues to the app", async () => {
    const client = await createTestClient({ require_verified: ["email"] });
    const { browser, email } = await signedInUnverified();
    const response = await authorize(browser, client);
    expect(response.status).toBe(303);
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(/^\/verify\/required\?interaction=/);
    const interaction = new URL(location, "http://x").searchParams.get("interaction") ?? "";

    const page = await browser.get(location);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Test App");
    expect(html).toContain(email);

    // A wrong code is refused and nothing is issued.
    const wrong = await browser.post("/verify/required", { interaction, code: "000000" });
    expect(wrong.status).toBe(400);
    // Skipping ahead does not help: /authorize checks again.
    expect((await browser.get(`/authorize?interaction=${interaction}`)).headers.get("location")).toMatch(/^\/verify\/required/);

    const [mail] = await waitForMail(email, 2);
    const right = await browser.post("/verify/required", { interaction, code: codeIn(mail as { subject: string | null; text: string }) });
    expect(right.status).toBe(303);
    const resumed = await browser.get(right.headers.get("location") ?? "");
    expect(resumed.status).toBe(303);
    expect(resumed.headers.get("location")).toMatch(new RegExp(`^${client.redirectUri}\\?code=`));
  });

  it("answers prompt=none with interaction_required instead of a page", async () => {
    const client = await createTestClient({ require_verified: ["email"] });
    const { browser } = await signedInUnverified();
    const response = await authorize(browser, client, { prompt: "none" });
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("interaction_required");
    expect(location.searchParams.get("code")).toBeNull();
  });

  it("requires a verified phone when the app asks for one, and lets verified users straight through", async () => {
    const phoneApp = await createTestClient({ require_verified: ["phone"] });
    const emailApp = await createTestClient({ require_verified: ["email"] });
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const phone = await authorize(browser, phoneApp);
    expect(phone.headers.get("location")).toMatch(/^\/verify\/required/);
    const html = await (await browser.get(phone.headers.get("location") ?? "")).text();
    expect(html).toContain("phone number");
    // The phone step of the journey (test/i6/phone-verification.test.ts), continuing at this authorization.
    expect(html).toMatch(/href="\/verify\/phone\?return_to=%2Fauthorize%3Finteraction%3D[^"]+"/);
    const ok = await authorize(browser, emailApp);
    expect(ok.headers.get("location")).toMatch(new RegExp(`^${emailApp.redirectUri}\\?code=`));
  });

  it("needs a session and a genuine interaction", async () => {
    const anonymous = await new Browser().get("/verify/required?interaction=abc.def");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/authorize?interaction=abc.def");
    const { browser } = await signedInUnverified();
    const forged = await browser.get("/verify/required?interaction=forged.0000");
    expect(forged.status).toBe(303);
    expect(forged.headers.get("location")).not.toContain("/verify/required");
    const weird = await browser.get(`/verify/required?interaction=${encodeURIComponent("https://evil.example/")}`);
    expect(weird.headers.get("location")).toBe("/login");
  });
});

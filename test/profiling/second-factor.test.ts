import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { findByEmail } from "../admin/helpers";
import { createVerifiedAccount, GOOD_PASSWORD } from "../helpers/accounts";
import { createTestClient } from "../helpers/clients";
import { Browser } from "../helpers/http";
import { authorizeUrl } from "../helpers/oidc";
import { codeIn, waitForMail } from "../helpers/outbox";
import { requiredMfaReturnTo } from "../otp-email/helpers";
import { setSchema } from "./helpers";

afterAll(() => setSchema([]));

describe("the interstitial after a second factor", () => {
  it("follows the second step too, counts that login once, and speaks the customer's language", async () => {
    await setSchema([
      {
        key: "given_name",
        type: "text",
        label: { en: "First name", de: "Vorname" },
        help: { en: "As on your ID", de: "Wie im Ausweis" },
        ask: { when: "signup" },
      },
    ]);
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    const returnTo = await requiredMfaReturnTo(browser);
    const login = await browser.post("/login", { email, password: GOOD_PASSWORD, return_to: returnTo });
    expect(login.headers.get("location")).toBe("/login/mfa");
    expect((await browser.post("/login/mfa/email/send", {})).status).toBe(200);
    const mail = (await waitForMail(email, 2)).find((message) => message.subject?.startsWith("Your verification code"));
    if (!mail) throw new Error("no second-factor mail");
    const done = await browser.post("/login/mfa/email", { code: codeIn(mail) });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`/profile/complete?return_to=${encodeURIComponent(returnTo)}`);
    const [user] = await findByEmail(email);
    const progress = await env.DB.prepare("SELECT login_count FROM profile_progress WHERE user_id = ?").bind(user?.id).first<{ login_count: number }>();
    expect(progress?.login_count).toBe(1);

    const german = await browser.fetch(done.headers.get("location") ?? "", { headers: { "accept-language": "de-DE,de;q=0.9" } });
    const html = await german.text();
    expect(html).toContain("Ein paar Angaben zu Ihnen");
    expect(html).toContain("Vorname (optional)");
    expect(html).toContain("Wie im Ausweis");
    expect(html).toContain("Jetzt nicht");
  });

  it("does not count a step-up as another login", async () => {
    await setSchema([{ key: "given_name", type: "text", label: { en: "First name" }, ask: { when: "after_logins", n: 2 } }]);
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    expect((await browser.post("/login", { email, password: GOOD_PASSWORD })).headers.get("location")).toBe("/account");
    const client = await createTestClient({ mfa_policy: "off" });
    const { url } = await authorizeUrl(client, { acr_values: "urn:gatehouse:loa:2" });
    expect((await browser.get(url)).headers.get("location")).toBe("/login/mfa?step_up=1");
    expect((await browser.post("/login/mfa/email/send", {})).status).toBe(200);
    const mail = (await waitForMail(email, 2)).find((message) => message.subject?.startsWith("Your verification code"));
    if (!mail) throw new Error("no second-factor mail");
    const done = await browser.post("/login/mfa/email", { code: codeIn(mail) });
    // Still the first login: given_name (from the 2nd login on) is not due, the authorization continues.
    expect(done.headers.get("location")).toMatch(/^\/authorize\?/);
    const [user] = await findByEmail(email);
    const progress = await env.DB.prepare("SELECT login_count FROM profile_progress WHERE user_id = ?").bind(user?.id).first<{ login_count: number }>();
    expect(progress?.login_count).toBe(1);
  });
});

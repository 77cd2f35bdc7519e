import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, openBrowser } from "./support/browser";
import { baseUrl } from "./support/http-client";
import { adminApi } from "./support/oidc-rp";
import { newEmail } from "./support/outbox";
import { startUpstreamOp, type UpstreamOp } from "./support/upstream-op";

/**
 * Attribute mapping end to end: panva's oidc-provider releases extra profile claims (a nested `custom`
 * object among them) at its UserInfo endpoint; the provider's `attribute_mapping` fills profile-schema
 * fields from them at sign-up, so the required field never appears on the interstitial.
 */
const SCHEMA = [
  { key: "given_name", type: "text", label: { en: "First name" }, ask: { when: "signup" }, required: true },
  { key: "birthdate", type: "date", label: { en: "Born" }, ask: { when: "after_logins", n: 50 }, min_date: "1900-01-01" },
  { key: "department", type: "text", label: { en: "Department" }, ask: { when: "after_logins", n: 50 } },
];

describe("attribute mapping from a local OpenID Connect provider", () => {
  const providerId = `e2e-map-${crypto.randomUUID().slice(0, 8)}`;
  let op: UpstreamOp;
  let browser: BrowserSession | undefined;

  beforeAll(async () => {
    op = await startUpstreamOp([`${baseUrl()}/login/${providerId}/callback`]);
    expect((await adminApi("PUT", "/profile-schema", { fields: SCHEMA })).status).toBe(200);
    const { status, body } = await adminApi("POST", "/identity-providers", {
      id: providerId,
      type: "oidc",
      display_name: "Mapping OP",
      client_id: op.clientId,
      client_secret: op.clientSecret,
      issuer: op.issuer,
      trust_email: true,
      attribute_mapping: { given_name: "given_name", birthdate: "birthdate", department: "custom.department" },
    });
    expect(status, JSON.stringify(body)).toBe(201);
  });
  afterAll(async () => {
    await adminApi("DELETE", `/identity-providers/${providerId}`);
    await adminApi("PUT", "/profile-schema", { fields: [] });
    await op?.stop();
  });
  afterEach(async () => {
    await browser?.close();
  });

  it("fills the mapped fields at sign-up, skips the invalid one, and goes straight to the account", async () => {
    browser = await openBrowser();
    const { page } = browser;
    const sub = `map-${crypto.randomUUID().slice(0, 8)}`;
    const email = newEmail("fed-map");
    op.addAccount(sub, { email, email_verified: true, name: "Mara Mapped", given_name: "Mara", birthdate: "1850-02-03", custom: { department: "Research" } });

    await page.goto("/signup");
    await page.click(`button[data-provider="${providerId}"]`);
    await page.waitForURL(`${op.issuer}/**`);
    await page.fill('input[name="login"]', sub);
    await page.fill('input[name="password"]', "any password works here");
    await page.click('button[type="submit"]');
    await page.waitForSelector('input[name="prompt"][value="consent"]', { state: "attached" });
    await page.click('button[type="submit"]');
    // given_name is required at sign-up but came from upstream: no interstitial.
    await page.waitForURL(`${baseUrl()}/account`);

    const { body } = await adminApi<{ users: { id: string }[] }>("GET", `/users?email=${encodeURIComponent(email)}`);
    const userId = body.users[0]?.id ?? "";
    const profile = await adminApi("GET", `/users/${userId}/profile`);
    expect(profile.body).toEqual({ given_name: "Mara", department: "Research" });
    const events = await adminApi<{ events: { type: string; details: Record<string, unknown> }[] }>(
      "GET",
      `/audit-events?user_id=${userId}&type=federation.attribute_skipped`,
    );
    expect(events.body.events.map((event) => event.details.fields)).toEqual([{ birthdate: "out_of_range" }]);
  });
});

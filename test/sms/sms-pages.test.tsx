import { describe, expect, it } from "vitest";
import { translator } from "../../src/ui/i18n";
import { de, en } from "../../src/ui/i18n/areas/sms";
import type { PageContext } from "../../src/ui/layout";
import { LoginPage } from "../../src/ui/pages/auth-pages";
import { SmsPanel } from "../../src/ui/pages/mfa/sms-panel";

const page: PageContext = { t: translator("en"), locale: "en", nonce: "n", csrfToken: "csrf-token-value", currentPath: "/login/mfa" };

describe("SMS pages", () => {
  it("the second-step panel posts to the SMS routes with the pending login's id and CSRF token, and shows the error", async () => {
    const html = (await (<SmsPanel page={page} pending={{ id: "pending-123" }} error="This code is not valid." />)).toString();
    expect(html).toContain('action="/login/mfa/sms/send"');
    expect(html).toContain('action="/login/mfa/sms"');
    expect(html.match(/name="pending_id" value="pending-123"/g)).toHaveLength(2);
    expect(html.match(/name="csrf_token" value="csrf-token-value"/g)).toHaveLength(2);
    expect(html).toContain('autocomplete="one-time-code"');
    expect(html).toContain("This code is not valid.");
    expect(html).toContain('aria-invalid="true"');
  });

  it("the login page offers SMS login only where texts can be sent", async () => {
    const html = async (sms: boolean) => (await (<LoginPage page={{ ...page, currentPath: "/login" }} returnTo="/authorize?x=1" sms={sms} />)).toString();
    expect(await html(true)).toContain('href="/login/sms?return_to=%2Fauthorize%3Fx%3D1"');
    expect(await html(false)).not.toContain("/login/sms");
    expect(await html(false)).toContain('href="/login/link?return_to=%2Fauthorize%3Fx%3D1"');
  });

  it("has every message in English and German, and the German is not the English", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    const same = Object.keys(en).filter((key) => de[key as keyof typeof en] === en[key as keyof typeof en]);
    expect(same).toEqual([]);
    // Placeholders survive translation.
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(de[key]), key).toEqual(placeholders(en[key]));
    }
  });
});

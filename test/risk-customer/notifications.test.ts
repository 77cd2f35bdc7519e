import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/hashing";
import { DEFAULT_RISK_POLICY } from "../../src/services/risk/policy";
import { noticeFor, REPORT_LINK_LIFETIME_MS } from "../../src/services/risk/report-link";
import { createVerifiedAccount } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { mailTo } from "../helpers/outbox";
import { BOT, eventByToken, FIREFOX_ON_WINDOWS, LYON, logInFrom, nextMail, reportTokenIn, settledMailCount, userIdOf } from "./support";

/** An account whose first login (its history) was Firefox on Windows in Lyon, from `home`. */
async function accountAtHome() {
  const home = new Browser();
  const email = await createVerifiedAccount(home);
  const first = await logInFrom(home, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
  expect(first.headers.get("location")).toBe("/account");
  return { home, email, mails: (await mailTo(email)).length };
}

describe("owner notifications", () => {
  it("mails the owner about a new device: when, where, which device, why, and a single-use report link of which only the hash is stored", async () => {
    const { email, mails } = await accountAtHome();
    const started = Date.now();
    const login = await logInFrom(new Browser(), email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
    expect(login.status).toBe(303);
    const mail = await nextMail(email, mails);
    expect(mail.subject).toBe("New sign-in to your Gatehouse account");
    expect(mail.text).toContain("Where: Lyon, France");
    expect(mail.text).toContain("Device: Firefox on Windows");
    expect(mail.text).toContain("Method: Password");
    expect(mail.text).toContain("What we noticed: a device this account never signed in from");
    expect(mail.text).toMatch(/When: \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
    const token = reportTokenIn(mail);
    const event = await eventByToken(token);
    expect(event?.report_token_hash).toBe(await sha256Hex(token));
    expect(event?.session_id).not.toBeNull();
    expect(event?.reported_at).toBeNull();
    expect(event?.report_expires_at).toBeGreaterThanOrEqual(started + REPORT_LINK_LIFETIME_MS);
    expect(event?.report_expires_at).toBeLessThanOrEqual(Date.now() + REPORT_LINK_LIFETIME_MS);
    const raw = await env.DB.prepare("SELECT COUNT(*) AS n FROM risk_events WHERE report_token_hash = ? OR signals LIKE ?")
      .bind(token, `%${token}%`)
      .first<{ n: number }>();
    expect(raw?.n).toBe(0);
  });

  it("says nothing about a quiet login from the known device", async () => {
    const { home, email, mails } = await accountAtHome();
    expect((await logInFrom(home, email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS })).headers.get("location")).toBe("/account");
    expect(await settledMailCount(email)).toBe(mails);
  });

  it("mails the owner about a refused login, which starts no session, and still about a suspicious one", async () => {
    const { email, mails } = await accountAtHome();
    const refused = await logInFrom(new Browser(), email, { cf: BOT, userAgent: FIREFOX_ON_WINDOWS });
    expect(refused.headers.get("location")).toBe("/login?notice=risk_denied");
    const denied = await nextMail(email, mails);
    expect(denied.subject).toBe("We blocked a sign-in to your Gatehouse account");
    expect(denied.text).toContain("Where: Ashburn, United States");
    expect(denied.text).toContain("clear signs of an automated program");
    expect((await eventByToken(reportTokenIn(denied)))?.decision).toBe("deny");
    expect((await eventByToken(reportTokenIn(denied)))?.session_id).toBeNull();

    // A new device in a new country on a new network: a step-up, told as unusual, with every reason.
    const geneva = { country: "CH", city: "Geneva", latitude: "46.20", longitude: "6.14", asn: 3303 };
    await logInFrom(new Browser(), email, { cf: geneva, userAgent: FIREFOX_ON_WINDOWS });
    const unusual = await nextMail(email, mails + 1);
    expect(unusual.subject).toBe("Unusual sign-in to your Gatehouse account");
    expect(unusual.text).toContain("a country this account never signed in from");
    expect(unusual.text).toContain("a device this account never signed in from");
    expect((await eventByToken(reportTokenIn(unusual)))?.decision).toBe("step_up");
  });

  it("writes in the owner's language", async () => {
    const { email, mails } = await accountAtHome();
    await env.DB.prepare("UPDATE users SET locale = 'de' WHERE id = ?")
      .bind(await userIdOf(email))
      .run();
    await logInFrom(new Browser(), email, { cf: LYON, userAgent: FIREFOX_ON_WINDOWS });
    const mail = await nextMail(email, mails);
    expect(mail.subject).toBe("Neue Anmeldung bei Ihrem Gatehouse-Konto");
    expect(mail.text).toContain("Wo: Lyon, Frankreich");
    expect(mail.text).toContain("Gerät: Firefox unter Windows");
    expect(mail.text).toContain("ein Gerät, von dem aus sich dieses Konto noch nie angemeldet hat");
    expect(mail.text).toMatch(/Wann: \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC/);
  });
});

describe("which logins the owner hears about", () => {
  const policy = DEFAULT_RISK_POLICY;
  it("every refusal, every suspicious login, and new devices when the policy says so", () => {
    expect(noticeFor({ decision: "deny", score: 90, reasons: ["bot_certain"] }, policy)).toBe("riskDenied");
    expect(noticeFor({ decision: "step_up", score: 55, reasons: ["new_device", "new_country"] }, policy)).toBe("riskSuspicious");
    expect(noticeFor({ decision: "step_up", score: 30, reasons: ["new_device"] }, policy)).toBe("riskNewDevice");
    expect(noticeFor({ decision: "allow", score: 0, reasons: ["new_device", "passkey"] }, policy)).toBe("riskNewDevice");
    expect(noticeFor({ decision: "allow", score: 10, reasons: ["new_network"] }, policy)).toBeNull();
    expect(noticeFor({ decision: "allow", score: 0, reasons: [] }, policy)).toBeNull();
  });

  it("a score at the global step-up threshold counts even when an app's own threshold allowed it", () => {
    expect(noticeFor({ decision: "allow", score: 45, reasons: ["anonymizer_network", "unusual_hour", "new_network"] }, policy)).toBe("riskSuspicious");
  });

  it("new devices alone are not mailed when the operator turned that off; suspicious ones still are", () => {
    const quiet = { ...policy, notifyNewDevice: false };
    expect(noticeFor({ decision: "allow", score: 0, reasons: ["new_device", "passkey"] }, quiet)).toBeNull();
    expect(noticeFor({ decision: "step_up", score: 30, reasons: ["new_device"] }, quiet)).toBe("riskSuspicious");
  });
});

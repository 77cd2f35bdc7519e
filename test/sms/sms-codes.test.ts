import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { issueSmsCode, MAX_SMS_CODE_ATTEMPTS, redeemSmsCode, SMS_CODE_LIFETIME_MS } from "../../src/services/sms/sms-codes";
import { testDeps } from "../helpers/deps";
import { insertUser, randomMobile, wrongCode } from "./support";

async function rowsOf(userId: string) {
  return (
    await env.DB.prepare("SELECT id, channel, purpose, destination, code_hash, attempts, consumed_at FROM one_time_codes WHERE user_id = ? ORDER BY created_at")
      .bind(userId)
      .all<{ id: string; channel: string; purpose: string; destination: string; code_hash: string; attempts: number; consumed_at: number | null }>()
  ).results;
}

describe("SMS codes", () => {
  it("stores only an HMAC of the code, on channel sms, and accepts the right code once", async () => {
    const deps = testDeps();
    const phone = randomMobile();
    const user = await insertUser();
    const code = await issueSmsCode(deps, user.id, "login", phone);
    expect(code).toMatch(/^\d{6}$/);
    const [row] = await rowsOf(user.id);
    expect(row?.channel).toBe("sms");
    expect(row?.destination).toBe(phone);
    expect(row?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);
    const used = await redeemSmsCode(deps, user.id, "login", code);
    expect(used?.destination).toBe(phone);
    expect(await redeemSmsCode(deps, user.id, "login", code)).toBeNull();
  });

  it("keeps purposes apart: a login code is no second factor and no phone confirmation", async () => {
    const deps = testDeps();
    const user = await insertUser();
    const code = await issueSmsCode(deps, user.id, "login", randomMobile());
    expect(await redeemSmsCode(deps, user.id, "second_factor", code)).toBeNull();
    expect(await redeemSmsCode(deps, user.id, "verify_phone", code)).toBeNull();
    expect(await redeemSmsCode(deps, (await insertUser()).id, "login", code)).toBeNull();
    expect(await redeemSmsCode(deps, user.id, "login", code)).not.toBeNull();
  });

  it("stops brute force after 5 tries: the code dies, even the right one is refused afterwards", async () => {
    const deps = testDeps();
    const user = await insertUser();
    const code = await issueSmsCode(deps, user.id, "login", randomMobile());
    for (let i = 0; i < MAX_SMS_CODE_ATTEMPTS; i++) expect(await redeemSmsCode(deps, user.id, "login", wrongCode(code))).toBeNull();
    const [row] = await rowsOf(user.id);
    expect(row?.attempts).toBe(MAX_SMS_CODE_ATTEMPTS);
    expect(row?.consumed_at).not.toBeNull();
    expect(await redeemSmsCode(deps, user.id, "login", code)).toBeNull();
  });

  it("counts malformed input as a try", async () => {
    const deps = testDeps();
    const user = await insertUser();
    const code = await issueSmsCode(deps, user.id, "login", randomMobile());
    for (const junk of ["", "12345", "1234567", "abcdef", undefined, "12 34 5x"]) await redeemSmsCode(deps, user.id, "login", junk);
    expect(await redeemSmsCode(deps, user.id, "login", code)).toBeNull();
  });

  it("does not reset the count on resend: the new code inherits the tries spent on the one it replaces", async () => {
    const deps = testDeps();
    const user = await insertUser();
    const phone = randomMobile();
    const first = await issueSmsCode(deps, user.id, "second_factor", phone);
    for (let i = 0; i < 3; i++) await redeemSmsCode(deps, user.id, "second_factor", wrongCode(first));
    const second = await issueSmsCode(deps, user.id, "second_factor", phone);
    // The old code is closed by the resend.
    expect(await redeemSmsCode(deps, user.id, "second_factor", first === second ? wrongCode(second) : first)).toBeNull();
    // That was try 4; one more wrong one kills the new code too.
    expect(await redeemSmsCode(deps, user.id, "second_factor", wrongCode(second))).toBeNull();
    expect(await redeemSmsCode(deps, user.id, "second_factor", second)).toBeNull();
    const rows = await rowsOf(user.id);
    expect(rows.map((row) => row.attempts)).toEqual([3, MAX_SMS_CODE_ATTEMPTS]);
    expect(rows.every((row) => row.consumed_at !== null)).toBe(true);
  });

  it("lets only one of several parallel right answers use a code", async () => {
    const deps = testDeps();
    const user = await insertUser();
    const code = await issueSmsCode(deps, user.id, "login", randomMobile());
    const results = await Promise.all(Array.from({ length: 5 }, () => redeemSmsCode(deps, user.id, "login", code)));
    expect(results.filter((result) => result !== null)).toHaveLength(1);
  });

  it("lets parallel wrong guesses spend at most 5 tries", async () => {
    const deps = testDeps();
    const user = await insertUser();
    const code = await issueSmsCode(deps, user.id, "login", randomMobile());
    await Promise.all(Array.from({ length: 12 }, () => redeemSmsCode(deps, user.id, "login", wrongCode(code))));
    const [row] = await rowsOf(user.id);
    expect(row?.attempts).toBe(MAX_SMS_CODE_ATTEMPTS);
    expect(await redeemSmsCode(deps, user.id, "login", code)).toBeNull();
  });

  it("refuses a code after its 10 minutes", async () => {
    const user = await insertUser();
    let now = Date.now();
    const deps = testDeps({ clock: () => now });
    const code = await issueSmsCode(deps, user.id, "login", randomMobile());
    now += SMS_CODE_LIFETIME_MS + 1;
    expect(await redeemSmsCode(deps, user.id, "login", code)).toBeNull();
  });
});

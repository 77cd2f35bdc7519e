import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/hashing";
import { Browser } from "../helpers/http";
import { waitForMail } from "../helpers/outbox";
import { accountWithTotp, passwordStep, userIdOf } from "./helpers";

describe("recovery codes", () => {
  it("stores only hashes of ten 80-bit codes", async () => {
    const { email, recoveryCodes } = await accountWithTotp();
    const rows = await env.DB.prepare("SELECT code_hash FROM recovery_codes WHERE user_id = ?")
      .bind(await userIdOf(email))
      .all<{ code_hash: string }>();
    expect(rows.results).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = rows.results.map((row) => row.code_hash);
    for (const code of recoveryCodes) {
      expect(code).toMatch(/^([A-Z2-7]{4}-){3}[A-Z2-7]{4}$/);
      expect(stored).toContain(await sha256Hex(`recovery-code:${code.replace(/-/g, "")}`));
      expect(stored.join()).not.toContain(code.replace(/-/g, ""));
    }
  });

  it("completes the second step once per code, in any case and spacing, and tells the owner how many are left", async () => {
    const { email, recoveryCodes } = await accountWithTotp();
    const code = recoveryCodes[3] ?? "";
    const browser = await passwordStep(email);
    expect(await (await browser.get("/login/mfa?method=recovery_code")).text()).toContain('action="/login/mfa/recovery"');
    const done = await browser.post("/login/mfa/recovery", { code: ` ${code.toLowerCase().replace(/-/g, " ")} ` });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account");
    const notice = (await waitForMail(email, 3)).find((mail) => mail.subject === "A recovery code was used");
    expect(notice?.text).toContain("Unused codes left: 9");

    const again = await passwordStep(email);
    const reused = await again.post("/login/mfa/recovery", { code });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain("That recovery code is not valid or was already used.");
    expect(again.cookies.has("__Host-gh_session")).toBe(false);
  });

  it("lets only one of two parallel uses of a code through", async () => {
    const { email, recoveryCodes } = await accountWithTotp();
    const [a, b] = await Promise.all([passwordStep(email), passwordStep(email)]);
    const code = recoveryCodes[0] ?? "";
    const answers = await Promise.all([a.post("/login/mfa/recovery", { code }), b.post("/login/mfa/recovery", { code })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([303, 400]);
  });

  it("does not accept another account's code", async () => {
    const owner = await accountWithTotp();
    const other = await accountWithTotp();
    const browser = await passwordStep(other.email);
    expect((await browser.post("/login/mfa/recovery", { code: owner.recoveryCodes[0] ?? "" })).status).toBe(400);
  });

  it("regenerates on /account/recovery-codes: the new set replaces the old one", async () => {
    const { browser, email, recoveryCodes } = await accountWithTotp();
    const overview = await (await browser.get("/account/recovery-codes")).text();
    expect(overview).toContain("Unused codes left: 10 of 10.");
    const fresh = await browser.post("/account/recovery-codes", {});
    expect(fresh.status).toBe(200);
    const codes = [...(await fresh.text()).matchAll(/<code>([A-Z2-7-]{19})<\/code>/g)].map((match) => match[1] ?? "");
    expect(codes).toHaveLength(10);
    expect(codes.some((code) => recoveryCodes.includes(code))).toBe(false);
    const old = await passwordStep(email);
    expect((await old.post("/login/mfa/recovery", { code: recoveryCodes[0] ?? "" })).status).toBe(400);
    const current = await passwordStep(email);
    expect((await current.post("/login/mfa/recovery", { code: codes[0] ?? "" })).status).toBe(303);
  });

  it("is only shown to the account's owner", async () => {
    expect((await new Browser().get("/account/recovery-codes")).headers.get("location")).toBe("/login?return_to=%2Faccount%2Frecovery-codes");
    expect((await new Browser().post("/account/recovery-codes", {})).headers.get("location")).toMatch(/^\/login\?return_to=/);
  });
});

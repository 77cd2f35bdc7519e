import { describe, expect, it } from "vitest";
import { createVerifiedAccount } from "./support/accounts";
import { comparable, heading, notices } from "./support/html";
import { HttpClient } from "./support/http-client";
import { isReset, isVerification, messagesTo, newEmail, newPassword, seenIds, waitForMessage } from "./support/outbox";

/** Both pages with the address each visitor typed replaced, so only what the server decided differs. */
function expectSamePage(a: { status: number; html: string }, aEmail: string, b: { status: number; html: string }, bEmail: string) {
  expect(a.status).toBe(b.status);
  expect(notices(a.html)).toEqual(notices(b.html).map((text) => text.split(bEmail).join(aEmail)));
  expect(comparable(a.html, { [aEmail]: "EMAIL" })).toBe(comparable(b.html, { [bEmail]: "EMAIL" }));
}

describe("account enumeration", () => {
  it("login: an unknown address and a wrong password get the same answer", async () => {
    const account = await createVerifiedAccount("enum-login");
    const unknown = newEmail("enum-nobody");
    const wrongPassword = await new HttpClient().submit("/login", { email: account.email, password: newPassword() });
    const unknownAccount = await new HttpClient().submit("/login", { email: unknown, password: newPassword() });

    expect(wrongPassword.status).toBe(401);
    expect(notices(wrongPassword.html)).toEqual(["Incorrect email address or password."]);
    expectSamePage(wrongPassword, account.email, unknownAccount, unknown);
  });

  it("sign-up: a taken address gets the same page as a new one, and its owner an email about the attempt", async () => {
    const account = await createVerifiedAccount("enum-signup");
    const before = await seenIds(account.email);
    const fresh = newEmail("enum-fresh");
    const newSignup = await new HttpClient().submit("/signup", { email: fresh, password: newPassword(), name: "" });
    const takenSignup = await new HttpClient().submit("/signup", { email: account.email, password: newPassword(), name: "" });

    expect(newSignup.status).toBe(200);
    expect(heading(newSignup.html)).toBe("Check your email");
    expectSamePage(newSignup, fresh, takenSignup, account.email);

    await waitForMessage(fresh, isVerification);
    const attempt = await waitForMessage(account.email, (message) => message.subject === "Sign-up attempt with your email address", { seen: before });
    expect(attempt.text).toContain("/forgot");
    // The owner is told, but gets no verification link or code for the stranger's attempt.
    const after = (await messagesTo(account.email)).filter((message) => !before.includes(message.id));
    expect(after.map((message) => message.subject)).toEqual(["Sign-up attempt with your email address"]);
  });

  it("forgot password: an unknown address gets the same page as a known one, and no mail", async () => {
    const account = await createVerifiedAccount("enum-forgot");
    const unknown = newEmail("enum-forgot-nobody");
    const known = await new HttpClient().submit("/forgot", { email: account.email });
    const nobody = await new HttpClient().submit("/forgot", { email: unknown });

    expect(known.status).toBe(200);
    expect(notices(known.html)[0]).toContain(`If an account exists for ${account.email}`);
    expectSamePage(known, account.email, nobody, unknown);

    await waitForMessage(account.email, isReset);
    expect(await messagesTo(unknown)).toEqual([]);
  });

  it("verification code: an unknown address fails exactly like a wrong code", async () => {
    const email = newEmail("enum-code");
    const client = new HttpClient();
    await client.submit("/signup", { email, password: newPassword(), name: "" });
    await waitForMessage(email, isVerification);
    const unknown = newEmail("enum-code-nobody");
    const wrongCode = await client.submit("/verify/code", { email, code: "000000" });
    const unknownAddress = await new HttpClient().submit("/verify/code", { email: unknown, code: "000000" });

    expect(wrongCode.status).toBe(400);
    expectSamePage(wrongCode, email, unknownAddress, unknown);
  });

  it("resending a verification: known and unknown addresses get the same page", async () => {
    const account = await createVerifiedAccount("enum-resend");
    const unknown = newEmail("enum-resend-nobody");
    const known = await new HttpClient().submit("/verify/resend", { email: account.email });
    const nobody = await new HttpClient().submit("/verify/resend", { email: unknown });
    expect(known.status).toBe(200);
    expectSamePage(known, account.email, nobody, unknown);
  });
});

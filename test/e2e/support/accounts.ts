import { expect } from "vitest";
import { HttpClient } from "./http-client";
import { isVerification, linkIn, newEmail, newPassword, waitForMessage } from "./outbox";

export interface Account {
  email: string;
  password: string;
}

/** Signs up over HTTP and verifies the address with the emailed link: an account ready to log in. */
export async function createVerifiedAccount(label: string, options: { name?: string } = {}): Promise<Account> {
  const account = { email: newEmail(label), password: newPassword() };
  const client = new HttpClient();
  const signup = await client.submit("/signup", { email: account.email, password: account.password, name: options.name ?? "" });
  expect(signup.status, signup.html).toBe(200);
  const token = new URL(linkIn(await waitForMessage(account.email, isVerification), "/verify")).searchParams.get("token") ?? "";
  const verify = await client.submit("/verify", { token });
  expect(verify.status, verify.html).toBe(200);
  return account;
}

/** Logs in over HTTP; expects success (303 to /account) and returns the client holding the session. */
export async function loggedInClient(account: Account, client = new HttpClient()): Promise<HttpClient> {
  const response = await client.post("/login", { email: account.email, password: account.password });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/account");
  return client;
}

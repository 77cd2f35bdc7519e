import type { Browser } from "./http";
import { linkIn, uniqueEmail, waitForMail } from "./outbox";

export const GOOD_PASSWORD = "maple tortoise umbrella 42";

/** Signs up and verifies by link; returns the email. */
export async function createVerifiedAccount(browser: Browser, password = GOOD_PASSWORD): Promise<string> {
  const email = uniqueEmail();
  const signup = await browser.post("/signup", { email, password });
  if (signup.status !== 200) throw new Error(`sign-up failed: ${signup.status}`);
  const [mail] = await waitForMail(email);
  if (!mail) throw new Error("no verification mail");
  const token = new URL(linkIn(mail, "/verify"), "http://localhost:8787").searchParams.get("token") ?? "";
  const verified = await browser.post("/verify", { token });
  if (verified.status !== 200) throw new Error(`verification failed: ${verified.status}`);
  return email;
}

/** Logs in and checks the redirect to /account. */
export async function logIn(browser: Browser, email: string, password = GOOD_PASSWORD): Promise<void> {
  const response = await browser.post("/login", { email, password });
  if (response.status !== 303) throw new Error(`login failed: ${response.status}`);
}

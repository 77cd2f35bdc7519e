import { describe, expect, it } from "vitest";
import { createVerifiedAccount, loggedInClient } from "./support/accounts";
import { baseUrl, HttpClient } from "./support/http-client";
import { isVerification, linkIn, messagesTo, newEmail, newPassword, waitForMessage } from "./support/outbox";

const SCRIPT = "<script>alert(1)</script>";

describe("hostile input", () => {
  it("refuses a non-form content type on a form endpoint with 415", async () => {
    const client = new HttpClient();
    await client.get("/login");
    const token = client.cookies.get("__Host-gh_csrf") ?? "";
    for (const [type, body] of [
      ["application/json", JSON.stringify({ csrf_token: token, email: "a@example.com", password: "x" })],
      ["text/plain", `csrf_token=${token}&email=a%40example.com&password=x`],
    ] as const) {
      const response = await client.fetch("/login", { method: "POST", headers: { "content-type": type, origin: baseUrl() }, body });
      expect(response.status, type).toBe(415);
    }
  });

  it("escapes markup in fields it echoes back", async () => {
    const client = new HttpClient();
    const email = `"><script>alert(1)</script>@example.com`;
    const signup = await client.submit("/signup", { email, name: SCRIPT, password: "short" });
    expect(signup.status).toBe(400);
    expect(signup.html).not.toContain(SCRIPT);
    expect(signup.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

    const login = await client.submit("/login", { email: `${SCRIPT}@example.com`, password: newPassword() });
    expect(login.status).toBe(401);
    expect(login.html).not.toContain(SCRIPT);
  });

  it("stores and shows a display name with markup as text", async () => {
    const account = await createVerifiedAccount("markup-name", { name: `${SCRIPT}<img src=x onerror=alert(2)>` });
    const client = await loggedInClient(account);
    const page = await (await client.get("/account")).text();
    expect(page).not.toContain(SCRIPT);
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;");
  });

  it("rejects CR/LF and other control characters in names and addresses without a 500", async () => {
    const client = new HttpClient();
    const name = await client.submit("/signup", { email: newEmail("crlf"), name: "Ann\r\nBcc: victim@example.com", password: newPassword() });
    expect(name.status).toBe(400);
    expect(name.html).toContain("Enter a name of at most 100 characters without line breaks.");
    const nul = await client.submit("/signup", { email: newEmail("nul"), name: "Ann\u0000", password: newPassword() });
    expect(nul.status).toBe(400);

    const injected = "victim@example.com\r\nBcc: attacker@example.com";
    const forgot = await client.submit("/forgot", { email: injected });
    expect(forgot.status).toBe(400);
    expect(forgot.html).toContain("Enter a valid email address.");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await messagesTo("attacker@example.com")).toEqual([]);
  });

  it("does not follow a return_to with CR/LF or another host", async () => {
    const account = await createVerifiedAccount("return-to");
    for (const returnTo of ["/account\r\nSet-Cookie: evil=1", "//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const response = await new HttpClient().post("/login", { email: account.email, password: account.password, return_to: returnTo });
      expect(response.status, JSON.stringify(returnTo)).toBe(303);
      expect(response.headers.get("location")).toBe("/account");
      expect(response.headers.getSetCookie().some((line) => line.startsWith("evil="))).toBe(false);
    }
  });

  it("treats SQL-looking input as plain data", async () => {
    const sqlPassword = "' OR '1'='1'; DROP TABLE users; --";
    for (const email of ["x'OR'1'='1@example.com", "admin'--@example.com", "a@example.com' OR 1=1 --"]) {
      const response = await new HttpClient().submit("/login", { email, password: sqlPassword });
      expect(response.status, email).toBe(401);
    }
    // An address with quotes and SQL comment markers is an ordinary (if odd) account.
    const email = `o'brien--${newEmail("sql")}`;
    const password = `${sqlPassword} ${newPassword()}`;
    const client = new HttpClient();
    expect((await client.submit("/signup", { email, password, name: "Robert'); DROP TABLE users;--" })).status).toBe(200);
    const token = new URL(linkIn(await waitForMessage(email, isVerification), "/verify")).searchParams.get("token") ?? "";
    expect((await client.submit("/verify", { token })).status).toBe(200);
    const session = await loggedInClient({ email, password });
    expect(await (await session.get("/account")).text()).toContain("Robert&#39;); DROP TABLE users;--");
    // And the table is still there for everyone else.
    await loggedInClient(await createVerifiedAccount("sql-after"));
  });

  it("answers very long and malformed fields without a 500", async () => {
    const client = new HttpClient();
    const cases: Record<string, string>[] = [
      { email: `${"a".repeat(300)}@example.com`, password: newPassword() },
      { email: "a@example.com", password: "p".repeat(5000) },
      { email: "\u202e@example.com", password: "\uD800" },
      { email: "a@example.com" },
      {},
    ];
    for (const fields of cases) {
      const response = await client.post("/login", fields);
      expect(response.status, JSON.stringify(fields).slice(0, 60)).toBe(401);
    }
    const badForm = await client.fetch("/login", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=nope", origin: baseUrl() },
      body: "garbage",
    });
    expect(badForm.status).toBeLessThan(500);
  });
});

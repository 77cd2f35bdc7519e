import { describe, expect, it } from "vitest";
import { createVerifiedAccount, loggedInClient } from "./support/accounts";
import { CSRF_COOKIE, HttpClient, SESSION_COOKIE } from "./support/http-client";

/** The attributes of one `Set-Cookie` line, lower-cased names. */
function attributesOf(response: Response, name: string): Map<string, string> | null {
  const line = response.headers.getSetCookie().find((candidate) => candidate.startsWith(`${name}=`));
  if (!line) return null;
  return new Map(
    line
      .split(";")
      .slice(1)
      .map((part) => {
        const [key = "", ...value] = part.trim().split("=");
        return [key.toLowerCase(), value.join("=")] as const;
      }),
  );
}

describe("cookies on the wire", () => {
  it("sets the session cookie as __Host-, HttpOnly, Secure, SameSite=Lax, Path=/ without Domain", async () => {
    const account = await createVerifiedAccount("cookie");
    const client = new HttpClient();
    const login = await client.post("/login", { email: account.email, password: account.password });
    expect(login.status).toBe(303);
    const session = attributesOf(login, SESSION_COOKIE);
    expect(session).not.toBeNull();
    expect(session?.has("httponly")).toBe(true);
    expect(session?.has("secure")).toBe(true);
    expect(session?.get("samesite")).toBe("Lax");
    expect(session?.get("path")).toBe("/");
    expect(session?.has("domain")).toBe(false);

    const logout = await client.post("/logout", {});
    const cleared = attributesOf(logout, SESSION_COOKIE);
    expect(cleared?.get("max-age")).toBe("0");
    expect(cleared?.has("secure")).toBe(true);
    expect(cleared?.get("path")).toBe("/");
  });

  it("sets the CSRF cookie as __Host-, HttpOnly, Secure, SameSite=Lax, Path=/", async () => {
    const response = await new HttpClient().get("/login");
    const csrf = attributesOf(response, CSRF_COOKIE);
    expect(csrf?.has("httponly")).toBe(true);
    expect(csrf?.has("secure")).toBe(true);
    expect(csrf?.get("samesite")).toBe("Lax");
    expect(csrf?.get("path")).toBe("/");
    expect(csrf?.has("domain")).toBe(false);
  });

  it("issues a new session on every login and ends the one the browser had (no fixation)", async () => {
    const account = await createVerifiedAccount("fixation");
    const client = await loggedInClient(account);
    const first = client.cookies.get(SESSION_COOKIE) ?? "";
    await loggedInClient(account, client);
    const second = client.cookies.get(SESSION_COOKIE) ?? "";
    expect(second).not.toBe(first);
    expect(second.split(".")[0]).not.toBe(first.split(".")[0]);

    const replay = new HttpClient();
    replay.cookies.set(SESSION_COOKIE, first);
    const response = await replay.get("/account");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/login/);
  });

  it("ignores a forged or malformed session cookie", async () => {
    for (const value of ["", "garbage", `${"A".repeat(22)}.${"B".repeat(43)}`, "a.b.c", "%0d%0aSet-Cookie:%20x=1"]) {
      const client = new HttpClient();
      client.cookies.set(SESSION_COOKIE, value);
      const response = await client.get("/account");
      expect(response.status, value).toBe(303);
      expect(response.headers.get("location")).toMatch(/^\/login/);
    }
  });
});

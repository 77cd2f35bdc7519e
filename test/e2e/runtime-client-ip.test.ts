import { describe, expect, it } from "vitest";
import { createVerifiedAccount, loggedInClient } from "./support/accounts";
import { HttpClient } from "./support/http-client";

/**
 * The other tests give every client its own `CF-Connecting-IP`; that only isolates their rate limits if
 * the local runtime passes a client-sent value through. Under `wrangler dev` it does: Miniflare's entry
 * worker fills `CF-Connecting-IP` from the socket only when the request has none. On Cloudflare the edge
 * overwrites it, so this is a property of the local runtime, not something the product may rely on.
 */
describe("client address under wrangler dev", () => {
  it("passes a client-sent CF-Connecting-IP through to the worker", async () => {
    const account = await createVerifiedAccount("client-ip");
    const client = await loggedInClient(account, new HttpClient("198.51.100.77"));
    expect(await (await client.get("/account")).text()).toContain(" · 198.51.100.77");
  });

  it("uses the loopback peer address when the client sends none", async () => {
    const account = await createVerifiedAccount("client-ip-none");
    const client = await loggedInClient(account, new HttpClient(null));
    expect(await (await client.get("/account")).text()).toMatch(/ · (127\.0\.0\.1|::1)\b/);
  });

  it("takes x-dev-ip and x-dev-cf in development, so journeys from other places can be replayed", async () => {
    const account = await createVerifiedAccount("client-ip-dev");
    const client = new HttpClient("203.0.113.9");
    const login = await client.submit(
      "/login",
      { email: account.email, password: account.password },
      { headers: { "x-dev-ip": "198.51.100.201", "x-dev-cf": JSON.stringify({ country: "FR", city: "Lyon", asn: 3215 }) } },
    );
    expect(login.status).toBe(303);
    // The session was started from the replayed place, not from the connection's own address.
    const page = await (await client.get("/account")).text();
    expect(page).toContain(" · 198.51.100.201 · FR");
    expect(page).not.toContain("203.0.113.9");
  });
});

import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, admin, expectProblem } from "./helpers";

describe("admin API authentication (RFC 6750 bearer token)", () => {
  it("refuses a request without a token with 401, a Bearer challenge and problem details", async () => {
    const response = await admin("/admin/v1/users", { token: null });
    const problem = await expectProblem(response, 401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(problem.detail).toMatch(/token is required/);
    expect(problem.request_id).toBe(response.headers.get("x-request-id"));
  });

  it("refuses a wrong token, a token one character short and a token with a suffix", async () => {
    for (const token of ["not-the-admin-token-0123456789abcdef", ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`]) {
      const response = await admin("/admin/v1/users", { token });
      await expectProblem(response, 401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
    }
  });

  it("refuses the right token under another scheme or with nothing after the scheme", async () => {
    for (const authorization of [`Basic ${ADMIN_TOKEN}`, `Token ${ADMIN_TOKEN}`, "Bearer", "Bearer ", ADMIN_TOKEN]) {
      const response = await admin("/admin/v1/users", { headers: { authorization } });
      await expectProblem(response, 401);
    }
  });

  it("accepts the right token, with the scheme in any case", async () => {
    expect((await admin("/admin/v1/users")).status).toBe(200);
    expect((await admin("/admin/v1/users", { headers: { authorization: `bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });

  it("guards writes too: nothing is created without the token", async () => {
    const email = `no-token-${crypto.randomUUID()}@example.com`;
    await expectProblem(await admin("/admin/v1/users", { token: null, json: { email } }), 401);
    const search = await admin(`/admin/v1/users?email=${encodeURIComponent(email)}`);
    expect(((await search.json()) as { users: unknown[] }).users).toEqual([]);
  });

  it("does not reveal which admin paths exist without a token; with one, unknown paths are 404 problems", async () => {
    await expectProblem(await admin("/admin/v1/no-such-thing", { token: null }), 401);
    await expectProblem(await admin("/admin/v1/no-such-thing"), 404);
  });
});

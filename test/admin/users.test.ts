import { describe, expect, it } from "vitest";
import { admin, createUser, expectProblem, findByEmail, strongPassword, type UserJson, uniqueEmail } from "./helpers";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("POST /admin/v1/users", () => {
  it("creates a user with a normalized address and answers 201 with its JSON and Location", async () => {
    const email = uniqueEmail("Create");
    const response = await admin("/admin/v1/users", {
      json: { email: `  ${email.toUpperCase()} `, password: strongPassword(), email_verified: true, name: " Ann " },
    });
    expect(response.status).toBe(201);
    const user = (await response.json()) as UserJson;
    expect(user).toMatchObject({ email: email.toLowerCase(), email_verified: true, name: "Ann", status: "active", has_password: true, locale: null });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.created_at).toMatch(ISO);
    expect(user.password_changed_at).toMatch(ISO);
    expect(response.headers.get("location")).toBe(`/admin/v1/users/${user.id}`);
    expect(Object.keys(user).sort()).toEqual(
      ["created_at", "email", "email_verified", "has_password", "id", "locale", "name", "password_changed_at", "status", "updated_at"].sort(),
    );
    expect(JSON.stringify(user)).not.toMatch(/pbkdf2|hash/);
  });

  it("creates a user without a password, unverified by default", async () => {
    const user = await createUser();
    expect(user).toMatchObject({ has_password: false, email_verified: false, password_changed_at: null, name: null });
  });

  it("answers 409 for an address that is taken, in any spelling", async () => {
    const email = uniqueEmail("dup");
    await createUser({ email });
    const problem = await expectProblem(await admin("/admin/v1/users", { json: { email: email.toUpperCase() } }), 409);
    expect(problem.errors).toEqual([expect.objectContaining({ field: "email", code: "email_taken" })]);
  });

  it("creates exactly one account when 20 requests for one address race", async () => {
    const email = uniqueEmail("race");
    const responses = await Promise.all(Array.from({ length: 20 }, () => admin("/admin/v1/users", { json: { email, password: strongPassword() } })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect(await findByEmail(email)).toHaveLength(1);
  });

  it("refuses a weak password with the policy's reason and writes nothing", async () => {
    const email = uniqueEmail("weak");
    const problem = await expectProblem(await admin("/admin/v1/users", { json: { email, password: "password" } }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: "body", field: "password", pointer: "#/password" })]);
    expect(problem.errors?.[0]?.code).toMatch(/^(common|too_short)$/);
    const short = await expectProblem(await admin("/admin/v1/users", { json: { email, password: "Zq9!" } }), 400);
    expect(short.errors?.[0]).toMatchObject({ field: "password", code: "too_short" });
    expect(await findByEmail(email)).toEqual([]);
  });
});

describe("GET /admin/v1/users and /admin/v1/users/{id}", () => {
  it("gets one user by id and answers 404 for an unknown id", async () => {
    const created = await createUser({ name: "Get Me" });
    const response = await admin(`/admin/v1/users/${created.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(created);
    const problem = await expectProblem(await admin(`/admin/v1/users/${crypto.randomUUID()}`), 404);
    expect(problem.detail).toBe("no user with this id");
  });

  it("finds one account by email, normalizing the query the same way", async () => {
    const email = uniqueEmail("find");
    const created = await createUser({ email });
    expect(await findByEmail(` ${email.toUpperCase()} `)).toEqual([created]);
    expect(await findByEmail(uniqueEmail("nobody"))).toEqual([]);
    const problem = await expectProblem(await admin("/admin/v1/users?email=not-an-address"), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: "query", field: "email", code: "email_invalid" })]);
  });

  it("searches addresses by substring with q, treating % and _ literally", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const a = await createUser({ email: `alpha-${tag}@search.example` });
    const b = await createUser({ email: `beta-${tag}@search.example` });
    const response = await admin(`/admin/v1/users?q=${tag.toUpperCase()}`);
    const body = (await response.json()) as { users: UserJson[] };
    expect(body.users.map((user) => user.id).sort()).toEqual([a.id, b.id].sort());
    const wildcard = (await (await admin("/admin/v1/users?q=%25")).json()) as { users: UserJson[] };
    expect(wildcard.users).toEqual([]);
  });

  it("pages through users with limit and an opaque cursor, without gaps or repeats", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await createUser({ email: `page${i}-${tag}@paging.example` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `q=${tag}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const body = (await (await admin(`/admin/v1/users?${query}`)).json()) as { users: UserJson[]; next_cursor: string | null };
      expect(body.users.length).toBeLessThanOrEqual(2);
      seen.push(...body.users.map((user) => user.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(ids);
  });

  it("defaults to 50 per page and refuses limits outside 1–200 and foreign cursors", async () => {
    const body = (await (await admin("/admin/v1/users")).json()) as { users: UserJson[]; next_cursor: string | null };
    expect(body.users.length).toBeLessThanOrEqual(50);
    expect(body).toHaveProperty("next_cursor");
    for (const limit of ["0", "201", "abc", "1.5"]) {
      const problem = await expectProblem(await admin(`/admin/v1/users?limit=${limit}`), 400);
      expect(problem.errors?.[0]).toMatchObject({ in: "query", field: "limit" });
    }
    expect((await admin("/admin/v1/users?limit=200")).status).toBe(200);
    const problem = await expectProblem(await admin("/admin/v1/users?cursor=bm90LWEtY3Vyc29y"), 400);
    expect(problem.errors?.[0]).toMatchObject({ field: "cursor", code: "cursor_invalid" });
  });
});

describe("PATCH /admin/v1/users/{id}", () => {
  it("changes name, locale, verification and email, and keeps what was not sent", async () => {
    const user = await createUser({ name: "Before", password: strongPassword() });
    const email = uniqueEmail("Renamed");
    const response = await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { name: "After", locale: "de", email: email.toUpperCase() } });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as UserJson;
    expect(updated).toMatchObject({ id: user.id, name: "After", locale: "de", email: email.toLowerCase(), email_verified: false, has_password: true });
    expect(updated.password_changed_at).toBe(user.password_changed_at);
    expect(await (await admin(`/admin/v1/users/${user.id}`)).json()).toEqual(updated);

    const verified = (await (await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { email_verified: true, name: null } })).json()) as UserJson;
    expect(verified).toMatchObject({ email_verified: true, name: null, locale: "de" });
  });

  it("sets a password (checked by the policy) on an account that had none", async () => {
    const user = await createUser();
    await expectProblem(await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { password: "12345678" } }), 400);
    const updated = (await (await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { password: strongPassword() } })).json()) as UserJson;
    expect(updated.has_password).toBe(true);
    expect(updated.password_changed_at).not.toBeNull();
  });

  it("answers 409 when the new address belongs to another account, and changes nothing", async () => {
    const taken = await createUser();
    const user = await createUser({ name: "Unchanged" });
    await expectProblem(await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { email: taken.email, name: "Changed" } }), 409);
    expect(await (await admin(`/admin/v1/users/${user.id}`)).json()).toEqual(user);
  });

  it("answers 404 for an unknown id", async () => {
    await expectProblem(await admin(`/admin/v1/users/${crypto.randomUUID()}`, { method: "PATCH", json: { name: "x" } }), 404);
  });
});

describe("DELETE /admin/v1/users/{id}", () => {
  it("deletes the user (204), after which it is 404 and its address is free again", async () => {
    const user = await createUser();
    const response = await admin(`/admin/v1/users/${user.id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectProblem(await admin(`/admin/v1/users/${user.id}`), 404);
    await expectProblem(await admin(`/admin/v1/users/${user.id}`, { method: "DELETE" }), 404);
    expect(await findByEmail(user.email)).toEqual([]);
    await createUser({ email: user.email });
  });
});

import { describe, expect, it } from "vitest";
import { admin, createUser, expectProblem, findByEmail, uniqueEmail } from "./helpers";

describe("admin API input validation: refused with problem details, nothing written", () => {
  it("refuses malformed JSON with 400", async () => {
    const problem = await expectProblem(
      await admin("/admin/v1/users", { rawBody: '{"email": "a@example.com",', headers: { "content-type": "application/json" } }),
      400,
    );
    expect(problem.detail).toMatch(/malformed json/i);
  });

  it("refuses a body that is not application/json with 415", async () => {
    const email = uniqueEmail("form");
    for (const contentType of ["application/x-www-form-urlencoded", "text/plain"]) {
      await expectProblem(await admin("/admin/v1/users", { rawBody: `email=${email}`, headers: { "content-type": contentType } }), 415);
    }
    const problem = await expectProblem(await admin("/admin/v1/users", { rawBody: JSON.stringify({ email }) }), 415);
    expect(problem.detail).toMatch(/Content-Type: application\/json/);
    const user = await createUser();
    await expectProblem(await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", rawBody: "name=x", headers: { "content-type": "text/plain" } }), 415);
    expect(await findByEmail(email)).toEqual([]);
  });

  it("names every unknown field and refuses the whole request", async () => {
    const email = uniqueEmail("extra");
    const problem = await expectProblem(await admin("/admin/v1/users", { json: { email, status: "active", is_admin: true } }), 400);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: "body", field: "status", pointer: "#/status", code: "unknown_field" }),
        expect.objectContaining({ in: "body", field: "is_admin", code: "unknown_field" }),
      ]),
    );
    expect(await findByEmail(email)).toEqual([]);

    const user = await createUser();
    await expectProblem(await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { password_hash: "x" } }), 400);
    await expectProblem(await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { status: "disabled" } }), 400);
    expect(await (await admin(`/admin/v1/users/${user.id}`)).json()).toEqual(user);
  });

  it("refuses CR/LF and other control characters in strings", async () => {
    const email = uniqueEmail("crlf");
    const problem = await expectProblem(await admin("/admin/v1/users", { json: { email, name: "Ann\r\nBcc: victim@example.com" } }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ field: "name", detail: "must not contain control characters" })]);
    await expectProblem(await admin("/admin/v1/users", { json: { email: `${email}\n`, name: "Ann" } }), 400);
    await expectProblem(await admin("/admin/v1/users", { json: { email, password: "long enough\u0000password" } }), 400);
    expect(await findByEmail(email)).toEqual([]);

    const user = await createUser({ name: "Clean" });
    await expectProblem(await admin(`/admin/v1/users/${user.id}`, { method: "PATCH", json: { name: "Evil\u0007" } }), 400);
    expect(((await (await admin(`/admin/v1/users/${user.id}`)).json()) as { name: string }).name).toBe("Clean");
  });

  it("lists every bad field at once: wrong types, missing email, bad address, long name, unknown locale", async () => {
    const missing = await expectProblem(await admin("/admin/v1/users", { json: { email_verified: "yes", name: "x".repeat(101), locale: "fr" } }), 400);
    expect(missing.errors?.map((error) => error.field).sort()).toEqual(["email", "email_verified", "locale", "name"]);
    const bad = await expectProblem(await admin("/admin/v1/users", { json: { email: "no-at-sign", name: "a\nb", extra: 1 } }), 400);
    expect(bad.errors?.find((error) => error.field === "email")?.code).toBe("email_invalid");
    expect(bad.errors?.map((error) => `${error.field}: ${error.detail}`).sort()).toEqual([
      "email: is not a valid email address",
      "extra: unknown field",
      "name: must not contain control characters",
    ]);
  });

  it("refuses a JSON body that is not an object", async () => {
    for (const json of [[], "ann@example.com", null, 42]) {
      const problem = await expectProblem(await admin("/admin/v1/users", { json }), 400);
      expect(problem.errors?.length).toBeGreaterThan(0);
    }
  });

  it("refuses unknown query parameters, so a misspelt filter never lists everyone", async () => {
    const problem = await expectProblem(await admin("/admin/v1/users?mail=ann@example.com"), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: "query", field: "mail", code: "unknown_field" })]);
  });

  it("leaves oversized bodies to the app's 413", async () => {
    const email = uniqueEmail("big");
    await expectProblem(await admin("/admin/v1/users", { json: { email, name: "x".repeat(70 * 1024) } }), 413);
    expect(await findByEmail(email)).toEqual([]);
  });
});

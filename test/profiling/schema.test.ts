import { afterAll, describe, expect, it } from "vitest";
import { admin, expectProblem } from "../admin/helpers";
import { FULL_SCHEMA, setSchema } from "./helpers";

const field = (overrides: Record<string, unknown> = {}) => ({ key: "hobby", type: "text", label: { en: "Hobby" }, ask: { when: "signup" }, ...overrides });

async function refused(fields: unknown[]): Promise<{ field?: string; code?: string }[]> {
  const body = await expectProblem(await admin("/admin/v1/profile-schema", { method: "PUT", json: { fields } }), 400);
  return body.errors ?? [];
}

afterAll(() => setSchema([]));

describe("profile schema admin API", () => {
  it("starts empty, replaces the schema with PUT and reads it back with each field's claim and scopes", async () => {
    await setSchema([]);
    expect(await (await admin("/admin/v1/profile-schema")).json()).toMatchObject({ fields: [] });
    const put = await admin("/admin/v1/profile-schema", { method: "PUT", json: { fields: FULL_SCHEMA } });
    expect(put.status).toBe(200);
    const body = (await (await admin("/admin/v1/profile-schema")).json()) as { fields: Record<string, unknown>[]; updated_at: string };
    expect(body.fields.map((f) => f.key)).toEqual(FULL_SCHEMA.map((f) => f.key));
    expect(body.fields[0]).toMatchObject({ key: "given_name", claim: "given_name", released_with: ["profile"], required: false });
    expect(body.fields.find((f) => f.key === "phone_number")).toMatchObject({ claim: "phone_number", released_with: ["phone"] });
    expect(body.fields.find((f) => f.key === "address")).toMatchObject({ claim: "address", released_with: ["address"] });
    expect(body.fields.find((f) => f.key === "tier")).toMatchObject({
      claim: "http://localhost:8787/claims/tier",
      released_with: ["profile", "loyalty"],
      required: true,
    });
    expect(Date.parse(body.updated_at)).toBeGreaterThan(0);
  });

  it("needs the admin token and a JSON body", async () => {
    expect((await admin("/admin/v1/profile-schema", { token: null })).status).toBe(401);
    await expectProblem(
      await admin("/admin/v1/profile-schema", { method: "PUT", rawBody: "fields=[]", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
    );
    await expectProblem(await admin("/admin/v1/profile-schema", { method: "PUT", rawBody: "{not json", headers: { "content-type": "application/json" } }), 400);
  });

  it("refuses identity and authority names as keys (email_verified, role, email, sub), and keys that are not identifiers", async () => {
    for (const key of ["email_verified", "role", "email", "sub", "csrf_token"]) {
      expect(await refused([field({ key })])).toEqual([expect.objectContaining({ field: "fields.0.key", code: "reserved_key" })]);
    }
    for (const key of ["Given", "1a", "a-b", "a.b", "", "x".repeat(41), "<script>"]) {
      expect((await refused([field({ key })]))[0]).toMatchObject({ field: "fields.0.key" });
    }
  });

  it("refuses unknown properties, unknown types, a wrong ask and missing labels, naming each field", async () => {
    expect(await refused([field({ colour: "red" })])).toEqual([expect.objectContaining({ field: "fields.0.colour", code: "unknown_field" })]);
    expect((await refused([field({ type: "html" })]))[0]).toMatchObject({ field: "fields.0.type" });
    expect((await refused([field({ ask: { when: "after_logins" } })]))[0]).toMatchObject({ field: "fields.0.ask.n" });
    expect((await refused([field({ ask: { when: "after_logins", n: 0 } })]))[0]).toMatchObject({ field: "fields.0.ask.n" });
    expect((await refused([field({ ask: { when: "scope", scopes: [] } })]))[0]).toMatchObject({ field: "fields.0.ask.scopes" });
    expect((await refused([field({ ask: { when: "sometimes" } })]))[0]).toMatchObject({ field: "fields.0.ask.when" });
    expect((await refused([field({ label: { de: "Nur Deutsch" } })]))[0]).toMatchObject({ field: "fields.0.label.en" });
    expect((await refused([field({ label: { en: "a\nb" } })]))[0]).toMatchObject({ field: "fields.0.label.en" });
    expect((await refused([field({ required: "yes" })]))[0]).toMatchObject({ field: "fields.0.required" });
    const body = await expectProblem(await admin("/admin/v1/profile-schema", { method: "PUT", json: { fields: [field()], extra: 1 } }), 400);
    expect(body.errors).toEqual([expect.objectContaining({ field: "extra", code: "unknown_field" })]);
  });

  it("refuses rules that contradict each other", async () => {
    expect(await refused([field(), field()])).toEqual([expect.objectContaining({ field: "fields.1.key", code: "duplicate_key" })]);
    expect(await refused([field({ key: "birthdate", type: "text" })])).toEqual([
      expect.objectContaining({ field: "fields.0.type", code: "claim_type_mismatch" }),
    ]);
    expect(await refused([field({ type: "date", max_length: 5 })])).toEqual([
      expect.objectContaining({ field: "fields.0.max_length", code: "not_applicable" }),
    ]);
    expect(await refused([field({ pattern: "([a-z" })])).toEqual([expect.objectContaining({ field: "fields.0.pattern", code: "pattern_invalid" })]);
    expect(await refused([field({ type: "date", min_date: "2020-02-30" })])).toEqual([
      expect.objectContaining({ field: "fields.0.min_date", code: "date_invalid" }),
    ]);
    expect(await refused([field({ type: "date", min_date: "2020-01-02", max_date: "2020-01-01" })])).toEqual([
      expect.objectContaining({ field: "fields.0.max_date", code: "date_range_empty" }),
    ]);
    expect(await refused([field({ type: "select" })])).toEqual([expect.objectContaining({ field: "fields.0.options", code: "options_missing" })]);
    const twice = { value: "a", label: { en: "A" } };
    expect(await refused([field({ type: "select", options: [twice, twice] })])).toEqual([
      expect.objectContaining({ field: "fields.0.options.1.value", code: "duplicate_option" }),
    ]);
    expect((await refused([field({ max_length: 100_000 })]))[0]).toMatchObject({ field: "fields.0.max_length" });
  });

  it("keeps the previous schema when a new one is refused", async () => {
    await setSchema([field()]);
    await refused([field({ key: "role" })]);
    const body = (await (await admin("/admin/v1/profile-schema")).json()) as { fields: { key: string }[] };
    expect(body.fields.map((f) => f.key)).toEqual(["hobby"]);
  });
});

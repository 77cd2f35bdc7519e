import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, createUser, expectProblem } from "../admin/helpers";
import { createVerifiedAccount, logIn } from "../helpers/accounts";
import { Browser } from "../helpers/http";
import { FULL_SCHEMA, profileOf, setSchema } from "./helpers";

beforeAll(() => setSchema(FULL_SCHEMA));
afterAll(() => setSchema([]));

async function patch(userId: string, json: unknown): Promise<Response> {
  return admin(`/admin/v1/users/${userId}/profile`, { method: "PATCH", json });
}

async function storedRows(userId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM profile_values WHERE user_id = ?").bind(userId).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("profile answers are checked server-side before anything is stored", () => {
  it("stores valid answers of every type, normalized", async () => {
    const user = await createUser();
    const response = await patch(user.id, {
      given_name: "  Ann ",
      birthdate: "1990-04-01",
      phone_number: "+49 30 901820",
      newsletter: true,
      address: { street_address: "Hauptstr. 1", locality: "Berlin", postal_code: "10115", country: "DE" },
      work_email: "Ann@Example.COM",
      tier: "gold",
      company: "Acme & Co.",
    });
    expect(response.status).toBe(200);
    expect(await profileOf(user.id)).toEqual({
      given_name: "Ann",
      birthdate: "1990-04-01",
      phone_number: "+4930901820",
      newsletter: true,
      address: { street_address: "Hauptstr. 1", locality: "Berlin", postal_code: "10115", country: "DE" },
      work_email: "ann@example.com",
      tier: "gold",
      company: "Acme & Co.",
    });
    // null removes one answer.
    expect((await patch(user.id, { company: null })).status).toBe(200);
    expect(await profileOf(user.id)).not.toHaveProperty("company");
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["unknown field email_verified", { email_verified: true }, "unknown_field"],
    ["unknown field role", { role: "admin" }, "unknown_field"],
    ["unknown field", { favourite_colour: "red" }, "unknown_field"],
    ["number for text", { given_name: 42 }, "wrong_type"],
    ["array for text", { given_name: ["Ann"] }, "wrong_type"],
    ["object for text", { given_name: { first: "Ann" } }, "wrong_type"],
    ["string for boolean", { newsletter: "maybe" }, "wrong_type"],
    ["string for address", { address: "Hauptstr. 1" }, "wrong_type"],
    ["unknown address part", { address: { street_address: "x", role: "admin" } }, "unknown_field"],
    ["number in an address part", { address: { locality: 5 } }, "wrong_type"],
    ["too long (max_length 20)", { given_name: "A".repeat(21) }, "too_long"],
    ["too long address part", { address: { locality: "B".repeat(201) } }, "too_long"],
    ["HTML in text", { given_name: "<b>Ann</b>" }, "html"],
    ["script in text", { company: "<script>alert(1)</script>" }, "html"],
    ["HTML in an address", { address: { street_address: '"><img src=x onerror=alert(1)>' } }, "html"],
    ["control character", { given_name: "Ann\u0000" }, "invalid"],
    ["newline", { given_name: "Ann\r\nX-Injected: 1" }, "invalid"],
    ["bidi override", { given_name: "Ann\u202e" }, "invalid"],
    ["pattern mismatch", { company: "Acme!" }, "invalid"],
    ["not a date", { birthdate: "01.04.1990" }, "invalid"],
    ["impossible date", { birthdate: "1990-02-30" }, "invalid"],
    ["date after max_date", { birthdate: "2024-01-01" }, "out_of_range"],
    ["date before min_date", { birthdate: "1899-12-31" }, "out_of_range"],
    ["phone without country", { phone_number: "030 901820" }, "invalid"],
    ["phone that is letters", { phone_number: "+call-me" }, "invalid"],
    ["bad email", { work_email: "not an email" }, "invalid"],
    ["not an option", { tier: "platinum" }, "not_an_option"],
  ];

  for (const [name, body, code] of bad) {
    it(`refuses ${name} with 400 and stores nothing (not even the valid answers beside it)`, async () => {
      const user = await createUser();
      const key = Object.keys(body)[0] ?? "";
      const problem = await expectProblem(await patch(user.id, { tier: "basic", ...body }), 400);
      expect(problem.errors).toEqual([expect.objectContaining({ field: key, code })]);
      expect(await storedRows(user.id)).toBe(0);
    });
  }

  it("deletes a user's answers and login count with the account", async () => {
    const user = await createUser();
    expect((await patch(user.id, { given_name: "Ann", tier: "gold" })).status).toBe(200);
    await env.DB.prepare("INSERT INTO profile_progress (user_id, login_count, updated_at) VALUES (?, 2, 0)").bind(user.id).run();
    expect(await storedRows(user.id)).toBe(2);
    expect((await admin(`/admin/v1/users/${user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await storedRows(user.id)).toBe(0);
    expect(await env.DB.prepare("SELECT 1 FROM profile_progress WHERE user_id = ?").bind(user.id).first()).toBeNull();
  });

  it("refuses a non-object body and answers 404 for an unknown user", async () => {
    const user = await createUser();
    await expectProblem(await patch(user.id, ["given_name", "Ann"]), 400);
    await expectProblem(await patch(user.id, "Ann"), 400);
    await expectProblem(await patch("no-such-user", { given_name: "Ann" }), 404);
    await expectProblem(await admin("/admin/v1/users/no-such-user/profile"), 404);
    await expectProblem(await admin(`/admin/v1/users/${user.id}/profile`, { token: null }), 401);
    await expectProblem(await admin(`/admin/v1/users/${user.id}/profile`, { method: "PATCH", json: { given_name: "Ann" }, token: "wrong-token" }), 401);
    expect(await storedRows(user.id)).toBe(0);
  });
});

describe("the account page's profile details", () => {
  it("shows every schema field and saves the customer's answers; audit names the fields, not the values", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const page = await browser.get("/account/profile-details");
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const field of FULL_SCHEMA) expect(html).toContain(`data-field="${field.key}"`);
    expect(html).toContain('name="address.street_address"');
    const saved = await browser.post("/account/profile-details", { given_name: "Ann", newsletter: "false", "address.locality": "Berlin", tier: "basic" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/account/profile-details?notice=saved");
    const [user] = ((await (await admin(`/admin/v1/users?email=${encodeURIComponent(email)}`)).json()) as { users: unknown[] }).users as { id: string }[];
    expect(await profileOf(user?.id ?? "")).toEqual({ given_name: "Ann", newsletter: false, address: { locality: "Berlin" }, tier: "basic" });
    const again = await (await browser.get("/account/profile-details")).text();
    expect(again).toContain('value="Ann"');
    const audit = await env.DB.prepare("SELECT details FROM audit_events WHERE user_id = ? AND type = 'user.profile_updated'")
      .bind(user?.id)
      .first<{ details: string }>();
    expect(JSON.parse(audit?.details ?? "{}")).toEqual({ profile_fields: ["given_name", "newsletter", "address", "tier"], via: "account" });
    expect(audit?.details).not.toContain("Berlin");
  });

  it("refuses email_verified and role sent with the form: 400, nothing stored, the account unchanged", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const response = await browser.post("/account/profile-details", { given_name: "Mallory", email_verified: "false", role: "admin" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("This field is not part of your profile.");
    const [user] = ((await (await admin(`/admin/v1/users?email=${encodeURIComponent(email)}`)).json()) as { users: unknown[] }).users as {
      id: string;
      email_verified: boolean;
    }[];
    expect(user?.email_verified).toBe(true);
    expect(await storedRows(user?.id ?? "")).toBe(0);
  });

  it("escapes what it shows and does not clear a required answer", async () => {
    const browser = new Browser();
    const email = await createVerifiedAccount(browser);
    await logIn(browser, email);
    const refused = await browser.post("/account/profile-details", { given_name: '"><script>alert(1)</script>' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).not.toContain("<script>alert(1)</script>");
    expect((await browser.post("/account/profile-details", { tier: "gold" })).status).toBe(303);
    const cleared = await browser.post("/account/profile-details", { tier: "" });
    expect(cleared.status).toBe(400);
    expect(await cleared.text()).toContain("Please answer this question.");
  });

  it("needs a session", async () => {
    const response = await new Browser().get("/account/profile-details");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/login\?return_to=/);
  });
});

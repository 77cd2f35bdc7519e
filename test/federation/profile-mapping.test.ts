import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEmail } from "../helpers/outbox";
import { profileOf, setSchema } from "../profiling/helpers";
import { FakeUpstream } from "./fake-upstream";
import { Browser, federatedLogin, registerUpstream } from "./flow-helpers";
import { admin } from "./helpers";

// attribute_mapping into the operator's profile schema: any field, from a claim or a dotted path, each
// value checked like a customer's answer, refreshed under attribute_sync.

const later = { when: "after_logins", n: 99 };
const SCHEMA = [
  { key: "given_name", type: "text", label: { en: "First name" }, ask: { when: "signup" }, required: true, max_length: 20 },
  { key: "birthdate", type: "date", label: { en: "Born" }, ask: later, min_date: "1900-01-01" },
  { key: "phone_number", type: "phone", label: { en: "Phone" }, ask: later },
  { key: "address", type: "address", label: { en: "Address" }, ask: later },
  { key: "city", type: "text", label: { en: "City" }, ask: later },
  { key: "department", type: "text", label: { en: "Department" }, ask: later, pattern: "[A-Za-z &-]+" },
  { key: "employee_no", type: "text", label: { en: "Employee number" }, ask: later, max_length: 8 },
  {
    key: "tier",
    type: "select",
    label: { en: "Tier" },
    ask: later,
    options: [
      { value: "basic", label: { en: "Basic" } },
      { value: "gold", label: { en: "Gold" } },
    ],
  },
  { key: "newsletter", type: "boolean", label: { en: "Newsletter" }, ask: later },
];
const MAPPING = {
  given_name: "given_name",
  birthdate: "birthdate",
  phone_number: "phone_number",
  address: "address",
  city: "address.locality",
  department: "custom.department",
  employee_no: "https://corp.example/employee_no",
  tier: "custom.tier",
  newsletter: "custom.flags.newsletter",
};

const upstream = new FakeUpstream("mapping");
const providers: Record<"unless_edited" | "always" | "signup", string> = { unless_edited: "", always: "", signup: "" };

beforeAll(async () => {
  await upstream.start();
  await setSchema(SCHEMA);
  for (const mode of ["unless_edited", "always", "signup"] as const)
    providers[mode] = await registerUpstream(upstream, { trust_email: true, attribute_mapping: MAPPING, attribute_sync: mode });
});
afterAll(async () => {
  upstream.stop();
  await setSchema([]);
});

interface Login {
  browser: Browser;
  location: string;
}

async function login(provider: string, claims: Record<string, unknown>): Promise<Login> {
  const browser = new Browser();
  const response = await federatedLogin(browser, upstream, provider, claims);
  expect(response.status).toBe(303);
  const location = response.headers.get("location") ?? "";
  expect(location).not.toMatch(/^\/login\?/);
  return { browser, location };
}

async function userOfSubject(sub: string): Promise<{ id: string; phone: string | null; phone_verified: number }> {
  const row = await env.DB.prepare("SELECT u.id, u.phone, u.phone_verified FROM users u JOIN federated_identities fi ON fi.user_id = u.id WHERE fi.sub = ?")
    .bind(sub)
    .first<{ id: string; phone: string | null; phone_verified: number }>();
  if (!row) throw new Error(`no account for ${sub}`);
  return row;
}

async function auditDetails(type: string, userId: string): Promise<Record<string, unknown>[]> {
  const rows = await env.DB.prepare("SELECT details FROM audit_events WHERE type = ? AND user_id = ? ORDER BY rowid")
    .bind(type, userId)
    .all<{ details: string }>();
  return rows.results.map((row) => JSON.parse(row.details) as Record<string, unknown>);
}

const person = (sub: string, extra: Record<string, unknown> = {}) => ({ sub, email: uniqueEmail("map"), email_verified: true, ...extra });
const subject = () => `sub-${crypto.randomUUID()}`;

const GOOD_CLAIMS = {
  given_name: "  Ann ",
  birthdate: "1990-04-01",
  phone_number: "+49 30 901820",
  phone_number_verified: true,
  address: { street_address: "Unter den Linden 1", locality: "Berlin", postal_code: "10117", country: "DE", formatted: "Unter den Linden 1, Berlin" },
  custom: { department: "Sales & Ops", tier: "gold", flags: { newsletter: "true" } },
  "https://corp.example/employee_no": 4711,
};

describe("mapping at sign-up", () => {
  it("fills every mapped field, normalized like an answer; a filled required field is not asked for", async () => {
    const sub = subject();
    const { location } = await login(providers.unless_edited, person(sub, GOOD_CLAIMS));
    expect(location).not.toMatch(/^\/profile\/complete/);
    const user = await userOfSubject(sub);
    expect(await profileOf(user.id)).toEqual({
      given_name: "Ann",
      birthdate: "1990-04-01",
      phone_number: "+4930901820",
      address: { street_address: "Unter den Linden 1", locality: "Berlin", postal_code: "10117", country: "DE" },
      city: "Berlin",
      department: "Sales & Ops",
      employee_no: "4711",
      tier: "gold",
      newsletter: true,
    });
    // An upstream phone number is profile data, never the account's verified phone for SMS.
    expect(user).toMatchObject({ phone: null, phone_verified: 0 });
    const [signup] = await auditDetails("federation.signup", user.id);
    expect(signup?.profile_fields).toEqual(expect.arrayContaining(["given_name", "phone_number", "city"]));
  });

  it("without the claim the required field stays unanswered and the interstitial asks for it", async () => {
    const sub = subject();
    const { location } = await login(providers.unless_edited, person(sub, { birthdate: "1990-04-01" }));
    expect(location).toMatch(/^\/profile\/complete\?return_to=/);
    expect(await profileOf((await userOfSubject(sub)).id)).toEqual({ birthdate: "1990-04-01" });
  });

  it("skips every value the field's checks refuse, stores the valid ones, and audits the refusals without the values", async () => {
    const sub = subject();
    await login(
      providers.unless_edited,
      person(sub, {
        given_name: "<b>Ann</b>",
        birthdate: "1850-01-01",
        phone_number: "12345",
        address: { locality: ["Berlin"] },
        custom: { department: "Sales\u202eOps", tier: "platinum", flags: { newsletter: "maybe" } },
        "https://corp.example/employee_no": "123456789",
      }),
    );
    const user = await userOfSubject(sub);
    expect(await profileOf(user.id)).toEqual({});
    const [skipped] = await auditDetails("federation.attribute_skipped", user.id);
    expect(skipped?.fields).toEqual({
      given_name: "html",
      birthdate: "out_of_range",
      phone_number: "invalid",
      address: "wrong_type",
      city: "wrong_type",
      department: "invalid",
      tier: "not_an_option",
      newsletter: "wrong_type",
      employee_no: "too_long",
    });
    const logged = JSON.stringify(skipped);
    for (const value of ["Ann", "1850", "12345", "platinum", "maybe", "123456789"]) expect(logged).not.toContain(value);
    // The one good value of a mixed answer is kept.
    const mixed = subject();
    await login(providers.unless_edited, person(mixed, { given_name: "Ann", birthdate: "not a date", address: { locality: "Köln" } }));
    expect(await profileOf((await userOfSubject(mixed)).id)).toEqual({ given_name: "Ann", city: "Köln", address: { locality: "Köln" } });
  });
});

describe("refresh on later logins", () => {
  it("unless_edited: follows the upstream until the customer edits a field; their edit is kept, the rest still follows", async () => {
    const sub = subject();
    const claims = person(sub, { given_name: "Ann", custom: { department: "Sales" }, address: { locality: "Berlin" } });
    await login(providers.unless_edited, claims);
    const { browser } = await login(providers.unless_edited, { ...claims, given_name: "Anna", custom: { department: "Marketing" } });
    const user = await userOfSubject(sub);
    expect(await profileOf(user.id)).toMatchObject({ given_name: "Anna", department: "Marketing", city: "Berlin" });

    const edited = await browser.post("/account/profile-details", { given_name: "Annie" });
    expect(edited.status).toBe(303);
    await login(providers.unless_edited, { ...claims, given_name: "Annabel", custom: { department: "Legal" }, address: { locality: "Bonn" } });
    expect(await profileOf(user.id)).toMatchObject({ given_name: "Annie", department: "Legal", city: "Bonn", address: { locality: "Bonn" } });
    const synced = (await auditDetails("federation.profile_synced", user.id)).map((details) => details.fields);
    // (`name` too: the account's name follows given_name + family_name when there is no `name` claim.)
    expect(synced).toEqual([expect.arrayContaining(["given_name", "department"]), expect.arrayContaining(["department", "city", "address"])]);
    expect(synced[1]).not.toContain("given_name");
  });

  it("a claim the upstream no longer sends, or an invalid one, never clears or replaces a field", async () => {
    const sub = subject();
    const claims = person(sub, { given_name: "Ann", custom: { tier: "basic" } });
    await login(providers.unless_edited, claims);
    await login(providers.unless_edited, { ...claims, given_name: undefined, custom: { tier: "diamond" } });
    const user = await userOfSubject(sub);
    expect(await profileOf(user.id)).toEqual({ given_name: "Ann", tier: "basic" });
    expect((await auditDetails("federation.attribute_skipped", user.id)).map((details) => details.fields)).toEqual([{ tier: "not_an_option" }]);
    // Still remembered as this identity's value: a later valid upstream value replaces it.
    await login(providers.unless_edited, { ...claims, custom: { tier: "gold" } });
    expect(await profileOf(user.id)).toMatchObject({ tier: "gold" });
  });

  it("always: the upstream wins over the customer's edit", async () => {
    const sub = subject();
    const claims = person(sub, { given_name: "Directory", custom: { department: "Sales" } });
    const { browser } = await login(providers.always, claims);
    expect((await browser.post("/account/profile-details", { given_name: "Mine", department: "Mine" })).status).toBe(303);
    const user = await userOfSubject(sub);
    expect(await profileOf(user.id)).toMatchObject({ given_name: "Mine", department: "Mine" });
    await login(providers.always, claims);
    expect(await profileOf(user.id)).toMatchObject({ given_name: "Directory", department: "Sales" });
  });

  it("signup: only the account's creation takes upstream values", async () => {
    const sub = subject();
    const claims = person(sub, { given_name: "First", birthdate: "1990-01-01" });
    await login(providers.signup, claims);
    await login(providers.signup, { ...claims, given_name: "Second", birthdate: "1991-01-01", custom: { department: "Sales" } });
    expect(await profileOf((await userOfSubject(sub)).id)).toEqual({ given_name: "First", birthdate: "1990-01-01" });
  });
});

describe("mapping targets in the admin API", () => {
  const create = (mapping: unknown) =>
    admin("/admin/v1/identity-providers", {
      json: {
        id: `map-${crypto.randomUUID().slice(0, 8)}`,
        type: "oidc",
        display_name: "X",
        client_id: "c",
        client_secret: "s",
        issuer: "https://sso.acme.example",
        attribute_mapping: mapping,
      },
    });
  const errorsOf = async (response: Response) => {
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    return ((await response.json()) as { errors: { field: string; code: string; pointer: string }[] }).errors;
  };

  it("accepts account attributes and schema fields, claim names and dotted paths, and returns them", async () => {
    const mapping = { name: "preferred_username", email: "mail", locale: "custom.lang", ...MAPPING };
    const response = await create(mapping);
    expect(response.status).toBe(201);
    expect(((await response.json()) as { attribute_mapping: unknown }).attribute_mapping).toEqual(mapping);
  });

  it.each([
    ["a field the schema doesn't have", { nickname: "nickname" }, "attribute_mapping.nickname", "unknown_field"],
    ["email_verified", { email_verified: "email_verified" }, "attribute_mapping.email_verified", "not_mappable"],
    ["phone_number_verified", { phone_number_verified: "phone_number_verified" }, "attribute_mapping.phone_number_verified", "not_mappable"],
    ["role", { role: "groups" }, "attribute_mapping.role", "not_mappable"],
    ["sub", { sub: "oid" }, "attribute_mapping.sub", "not_mappable"],
    ["picture (Gatehouse's own claim)", { picture: "picture" }, "attribute_mapping.picture", "not_mappable"],
    ["a path with an empty segment", { city: "address..locality" }, "attribute_mapping.city", "invalid_claim_path"],
    ["a path with spaces", { city: "address locality" }, "attribute_mapping.city", "invalid_claim_path"],
    ["a path too deep", { city: "a.b.c.d.e.f.g.h.i" }, "attribute_mapping.city", "invalid_claim_path"],
  ])("refuses %s with a problem naming the target", async (_label, mapping, field, code) => {
    expect(await errorsOf(await create(mapping))).toContainEqual(expect.objectContaining({ field, code, pointer: `#/${field.replace(".", "/")}` }));
  });

  it("refuses a non-string claim path; a PATCH that does not send the mapping is not held back by a later schema change", async () => {
    expect((await errorsOf(await create({ city: 42 }))).map((error) => error.field)).toContain("attribute_mapping.city");
    const response = await create({ city: "address.locality" });
    const { id } = (await response.json()) as { id: string };
    await setSchema(SCHEMA.filter((field) => field.key !== "city"));
    try {
      expect((await admin(`/admin/v1/identity-providers/${id}`, { method: "PATCH", json: { display_name: "Renamed" } })).status).toBe(200);
      const refused = await admin(`/admin/v1/identity-providers/${id}`, { method: "PATCH", json: { attribute_mapping: { city: "address.locality" } } });
      expect((await errorsOf(refused)).map((error) => error.code)).toEqual(["unknown_field"]);
    } finally {
      await setSchema(SCHEMA);
    }
  });
});

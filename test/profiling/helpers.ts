import { expect } from "vitest";
import { admin } from "../admin/helpers";

/** A schema exercising every field type and every "when to ask" rule. */
export const FULL_SCHEMA = [
  { key: "given_name", type: "text", label: { en: "First name", de: "Vorname" }, ask: { when: "after_logins", n: 2 }, max_length: 20 },
  {
    key: "birthdate",
    type: "date",
    label: { en: "Date of birth", de: "Geburtsdatum" },
    ask: { when: "after_logins", n: 3 },
    min_date: "1900-01-01",
    max_date: "2020-12-31",
  },
  { key: "phone_number", type: "phone", label: { en: "Phone" }, ask: { when: "after_logins", n: 99 } },
  { key: "newsletter", type: "boolean", label: { en: "Newsletter?", de: "Newsletter?" }, ask: { when: "after_logins", n: 99 } },
  { key: "address", type: "address", label: { en: "Address", de: "Anschrift" }, ask: { when: "after_logins", n: 99 } },
  { key: "work_email", type: "email", label: { en: "Work email" }, ask: { when: "after_logins", n: 99 } },
  {
    key: "tier",
    type: "select",
    label: { en: "Membership", de: "Mitgliedschaft" },
    ask: { when: "scope", scopes: ["loyalty"] },
    required: true,
    options: [
      { value: "basic", label: { en: "Basic", de: "Basis" } },
      { value: "gold", label: { en: "Gold", de: "Gold" } },
    ],
  },
  { key: "company", type: "text", label: { en: "Company" }, help: { en: "Where you work" }, ask: { when: "after_logins", n: 99 }, pattern: "[A-Za-z0-9 &.-]+" },
];

export async function setSchema(fields: unknown[]): Promise<void> {
  const response = await admin("/admin/v1/profile-schema", { method: "PUT", json: { fields } });
  if (response.status !== 200) throw new Error(`schema refused: ${response.status} ${await response.text()}`);
}

export async function profileOf(userId: string): Promise<Record<string, unknown>> {
  const response = await admin(`/admin/v1/users/${userId}/profile`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

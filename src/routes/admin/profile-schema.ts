import { createRoute, z } from "@hono/zod-openapi";
import { ADMIN_ACTOR } from "../../services/admin-outcome";
import { profileAnswers, saveAnswers } from "../../services/profile/answers";
import {
  claimName,
  FIELD_KEY,
  FIELD_TYPES,
  MAX_FIELDS,
  MAX_TEXT_LENGTH,
  type ProfileField,
  type ProfileSchema,
  releasingScopes,
} from "../../services/profile/fields";
import { loadProfileSchema, replaceProfileSchema } from "../../services/profile/schema";
import { schemaIssues } from "../../services/profile/schema-rules";
import { usersStore } from "../../storage/users-store";
import { adminApp, fail, jsonBodyOnly, problems } from "./problems";
import { UserIdParams } from "./schemas";

const tags = ["Progressive profiling"];

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point of this pattern.
const NO_CONTROL_CHARS = /^[^\x00-\x1f\x7f-\x9f]*$/;
const text = (max: number) => z.string().min(1).max(max).regex(NO_CONTROL_CHARS, { message: "must not contain control characters" });

const Localized = z
  .strictObject({ en: text(200), de: text(200).optional() })
  .openapi("LocalizedText", { description: "Per language; English is required, German falls back to it.", example: { en: "First name", de: "Vorname" } });

const Scope = z.string().regex(/^[A-Za-z0-9_:./-]{1,100}$/, { message: "is not a scope or claim name" });

const AskSchema = z
  .discriminatedUnion("when", [
    z.strictObject({ when: z.literal("signup") }),
    z.strictObject({ when: z.literal("after_logins"), n: z.number().int().min(1).max(1000) }),
    z.strictObject({ when: z.literal("scope"), scopes: z.array(Scope).min(1).max(10) }),
  ])
  .openapi("ProfileAsk", {
    description:
      "When the login interstitial asks for the field: `signup` from the first login on; `after_logins` from the n-th login on; `scope` when the app's authorization request carries one of `scopes` (or asks for the field's claim in its `claims` parameter).",
  });

const OptionSchema = z.strictObject({
  value: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: "must be 1–64 letters, digits, _ . -" }),
  label: Localized,
});

const FieldSchema = z
  .strictObject({
    key: z.string().regex(FIELD_KEY, { message: "must be 1–40 lower-case letters, digits or _, starting with a letter" }).openapi({
      description:
        "A standard OIDC claim name (given_name, family_name, middle_name, nickname, preferred_username, gender, birthdate, zoneinfo, locale, website, phone_number, address) is released under that claim; any other key becomes the custom claim `<issuer>/claims/<key>`. Identity and authority names (email, email_verified, role, sub, …) are reserved.",
      example: "given_name",
    }),
    type: z.enum(FIELD_TYPES),
    label: Localized,
    help: Localized.optional(),
    required: z.boolean().default(false).openapi({ description: 'A required field can\'t be skipped with "Not now" or cleared on the account page.' }),
    ask: AskSchema,
    max_length: z
      .number()
      .int()
      .min(1)
      .max(MAX_TEXT_LENGTH)
      .optional()
      .openapi({ description: `text only; default ${MAX_TEXT_LENGTH}.` }),
    pattern: z.string().min(1).max(200).optional().openapi({ description: "text only: a JavaScript regular expression (u flag) the whole value must match." }),
    min_date: z.string().optional().openapi({ description: "date only, YYYY-MM-DD, inclusive." }),
    max_date: z.string().optional().openapi({ description: "date only, YYYY-MM-DD, inclusive." }),
    options: z.array(OptionSchema).min(1).max(100).optional().openapi({ description: "select only (and required there)." }),
  })
  .openapi("ProfileField");

const SchemaInput = z
  .strictObject({ fields: z.array(FieldSchema).max(MAX_FIELDS) })
  .superRefine((value, ctx) => {
    for (const issue of schemaIssues(value.fields as ProfileField[]))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, params: { code: issue.code } });
  })
  .openapi("ProfileSchemaInput", {
    description: "The whole schema; it replaces the current one. Unknown properties are refused.",
    example: {
      fields: [
        { key: "given_name", type: "text", label: { en: "First name", de: "Vorname" }, required: false, ask: { when: "after_logins", n: 2 }, max_length: 100 },
        {
          key: "loyalty_tier",
          type: "select",
          label: { en: "Membership", de: "Mitgliedschaft" },
          ask: { when: "scope", scopes: ["loyalty"] },
          options: [
            { value: "basic", label: { en: "Basic", de: "Basis" } },
            { value: "gold", label: { en: "Gold", de: "Gold" } },
          ],
        },
      ],
    },
  });

const FieldOutput = FieldSchema.extend({
  claim: z.string().openapi({ description: "The claim name that carries the answer in ID tokens and userinfo." }),
  released_with: z.array(z.string()).openapi({ description: "Scopes that release the claim." }),
});

const SchemaOutput = z.object({ fields: z.array(FieldOutput), updated_at: z.string().nullable().openapi({ format: "date-time" }) }).openapi("ProfileSchema");

const ProfileValues = z.record(z.string(), z.unknown()).openapi("ProfileValues", {
  description: "Answers by field key: a string (text, email, phone in E.164, date YYYY-MM-DD, select value), a boolean, or an address object.",
  example: { given_name: "Ann", birthdate: "1990-04-01" },
});

const getRoute = createRoute({
  method: "get",
  path: "/admin/v1/profile-schema",
  tags,
  summary: "Read the profile schema",
  responses: { 200: { description: "The schema, with each field's claim.", content: { "application/json": { schema: SchemaOutput } } } },
});

const putRoute = createRoute({
  method: "put",
  path: "/admin/v1/profile-schema",
  tags,
  summary: "Replace the profile schema",
  description: "Answers to fields that are removed stay stored but are no longer shown or released as claims.",
  middleware: [jsonBodyOnly] as const,
  request: { body: { required: true, content: { "application/json": { schema: SchemaInput } } } },
  responses: { 200: { description: "The schema now in force.", content: { "application/json": { schema: SchemaOutput } } }, ...problems(400, 415) },
});

const getValuesRoute = createRoute({
  method: "get",
  path: "/admin/v1/users/{id}/profile",
  tags,
  summary: "Read a user's profile answers",
  request: { params: UserIdParams },
  responses: {
    200: { description: "Answers to the current schema's fields.", content: { "application/json": { schema: ProfileValues } } },
    ...problems(400, 404),
  },
});

const patchValuesRoute = createRoute({
  method: "patch",
  path: "/admin/v1/users/{id}/profile",
  tags,
  summary: "Change a user's profile answers",
  description: "Each key must be a field of the schema; `null` removes an answer. Checked like the customer's own answers; one refused answer stores nothing.",
  middleware: [jsonBodyOnly] as const,
  request: { params: UserIdParams, body: { required: true, content: { "application/json": { schema: ProfileValues } } } },
  responses: {
    200: { description: "The user's answers after the change.", content: { "application/json": { schema: ProfileValues } } },
    ...problems(400, 404, 415),
  },
});

function schemaJson(schema: ProfileSchema, issuerUrl: string): z.infer<typeof SchemaOutput> {
  return {
    fields: schema.fields.map((field) => ({ ...field, claim: claimName(field, issuerUrl), released_with: releasingScopes(field) })),
    updated_at: schema.updatedAt === null ? null : new Date(schema.updatedAt).toISOString(),
  };
}

/** The profile schema and a user's answers to it. */
export const profileSchemaRoutes = adminApp()
  .openapi(getRoute, async (c) => c.json(schemaJson(await loadProfileSchema(c.get("deps")), c.get("config").issuerUrl), 200))
  .openapi(putRoute, async (c) => {
    const deps = c.get("deps");
    const schema = await replaceProfileSchema(deps, c.req.valid("json").fields as ProfileField[]);
    await deps.audit.record(
      { type: "admin.settings_updated", outcome: "success", ...ADMIN_ACTOR, details: { profile_schema: schema.fields.map((field) => field.key) } },
      c.get("request"),
    );
    return c.json(schemaJson(schema, c.get("config").issuerUrl), 200);
  })
  .openapi(getValuesRoute, async (c) => {
    const deps = c.get("deps");
    const { id } = c.req.valid("param");
    if (!(await usersStore(deps.db).findById(id))) fail(c, 404, "no user with this id");
    return c.json(await profileAnswers(deps, id, (await loadProfileSchema(deps)).fields), 200);
  })
  .openapi(patchValuesRoute, async (c) => {
    const deps = c.get("deps");
    const { id } = c.req.valid("param");
    if (!(await usersStore(deps.db).findById(id))) fail(c, 404, "no user with this id");
    const result = await saveAnswers(deps, id, c.req.valid("json"), { source: "admin", request: c.get("request") });
    if (!result.ok) {
      const errors = Object.entries(result.errors).map(([field, code]) => ({ in: "body", field, pointer: `#/${field}`, code, detail: VALUE_DETAILS[code] }));
      fail(c, 400, `invalid request: ${Object.keys(result.errors).join(", ")}`, { errors });
    }
    return c.json(await profileAnswers(deps, id, (await loadProfileSchema(deps)).fields), 200);
  });

const VALUE_DETAILS = {
  unknown_field: "is not a field of the profile schema",
  wrong_type: "has the wrong type for this field",
  too_long: "is too long",
  html: "must not contain < or >",
  invalid: "does not have the field's format",
  required: "is required",
  not_an_option: "is not one of the field's options",
  out_of_range: "is outside the field's date range",
} as const;

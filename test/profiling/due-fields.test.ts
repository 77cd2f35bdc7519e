import { describe, expect, it } from "vitest";
import { sealInteraction } from "../../src/services/oidc/interaction";
import type { ProfileField } from "../../src/services/profile/fields";
import { dueFields } from "../../src/services/profile/prompt";
import { type RequestedData, requestedBy } from "../../src/services/profile/requested";
import { testDeps } from "../helpers/deps";

const ISSUER = "http://localhost:8787";
const field = (key: string, ask: ProfileField["ask"], required = false): ProfileField => ({ key, type: "text", label: { en: key }, required, ask });
const NOTHING: RequestedData = { scopes: [], claims: [] };

describe("which fields are due", () => {
  const fields = [
    field("a", { when: "after_logins", n: 3 }),
    field("b", { when: "signup" }),
    field("c", { when: "scope", scopes: ["loyalty"] }),
    field("d", { when: "signup" }, true),
  ];

  it("applies each ask rule and leaves answered fields out", () => {
    const due = (loginCount: number, requested = NOTHING, answers: Record<string, unknown> = {}) =>
      dueFields(fields, answers, { loginCount, skippedAtLogin: null }, requested, ISSUER).map((f) => f.key);
    expect(due(0)).toEqual([]);
    expect(due(1)).toEqual(["d", "b"]);
    expect(due(3)).toEqual(["d", "a", "b"]);
    expect(due(3, NOTHING, { d: "x", b: "y" })).toEqual(["a"]);
    expect(due(1, { scopes: ["openid", "loyalty"], claims: [] }, { d: "x" })).toEqual(["b", "c"]);
    // An app may ask for the claim itself (OIDC `claims` parameter) instead of the scope.
    expect(due(1, { scopes: ["openid"], claims: [`${ISSUER}/claims/c`] }, { d: "x", b: "y" })).toEqual(["c"]);
    expect(due(1, { scopes: ["openid"], claims: ["c"] }, { d: "x", b: "y" })).toEqual([]);
  });

  it("asks at most three at once, required first", () => {
    const many = [...Array.from({ length: 5 }, (_, i) => field(`f${i}`, { when: "signup" })), field("must", { when: "signup" }, true)];
    expect(dueFields(many, {}, { loginCount: 1, skippedAtLogin: null }, NOTHING, ISSUER).map((f) => f.key)).toEqual(["must", "f0", "f1"]);
  });

  it("rests optional fields for three logins after Not now, never required ones", () => {
    const due = (loginCount: number) => dueFields(fields, {}, { loginCount, skippedAtLogin: 4 }, NOTHING, ISSUER).map((f) => f.key);
    expect(due(4)).toEqual(["d"]);
    expect(due(6)).toEqual(["d"]);
    expect(due(7)).toEqual(["d", "a", "b"]);
  });
});

describe("what an authorization asks for", () => {
  it("reads scope and claims from a sealed interaction only", async () => {
    const deps = testDeps();
    const sealed = await sealInteraction(
      deps.config.keyEncryptionKey,
      {
        params: {
          client_id: "x",
          scope: "openid loyalty",
          claims: JSON.stringify({ id_token: { birthdate: null }, userinfo: { given_name: { essential: true } } }),
        },
        authAfter: 0,
      },
      deps.clock(),
    );
    expect(await requestedBy(deps, `/authorize?interaction=${encodeURIComponent(sealed)}`)).toEqual({
      scopes: ["openid", "loyalty"],
      claims: ["given_name", "birthdate"],
    });
    const forged = await sealInteraction("another-key-0123456789abcdef0123456789", { params: { scope: "loyalty" }, authAfter: 0 }, deps.clock());
    expect(await requestedBy(deps, `/authorize?interaction=${encodeURIComponent(forged)}`)).toEqual({ scopes: [], claims: [] });
    expect(await requestedBy(deps, "/account?scope=loyalty")).toEqual({ scopes: [], claims: [] });
    const malformed = await sealInteraction(deps.config.keyEncryptionKey, { params: { scope: "openid", claims: "{not json" }, authAfter: 0 }, deps.clock());
    expect(await requestedBy(deps, `/authorize?interaction=${encodeURIComponent(malformed)}`)).toEqual({ scopes: ["openid"], claims: [] });
  });
});

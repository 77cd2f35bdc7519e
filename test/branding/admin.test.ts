import { afterAll, describe, expect, it } from "vitest";
import { admin, expectProblem } from "../admin/helpers";
import { createTestClient } from "../helpers/clients";

afterAll(async () => {
  // The global branding is shared by every test file: leave it empty.
  expect((await admin("/admin/v1/branding", { method: "PUT", json: {} })).status).toBe(200);
});

const FULL = {
  name: "Acme Shop",
  logo_url: "https://cdn.acme.example/logo.png",
  colors: { primary: "#ff6600", primary_text: "#fff", background: "#fafafa" },
  font_family: '"DejaVu Sans", Arial, sans-serif',
  custom_css: ".card{border:2px solid #ff6600}",
  custom_text: { en: { "login.title": "Welcome to Acme" }, de: { "login.title": "Willkommen bei Acme" } },
  terms_url: "https://acme.example/terms",
  privacy_url: "https://acme.example/privacy",
  signup_methods: ["passkey", "password"],
};

describe("branding admin API", () => {
  it("stores and returns the global branding", async () => {
    const put = await admin("/admin/v1/branding", { method: "PUT", json: FULL });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ branding: FULL, css_removed: [] });
    expect(await (await admin("/admin/v1/branding")).json()).toEqual(FULL);
    // PUT replaces the whole document.
    await admin("/admin/v1/branding", { method: "PUT", json: { name: "Other" } });
    expect(await (await admin("/admin/v1/branding")).json()).toEqual({ name: "Other" });
    await admin("/admin/v1/branding", { method: "PUT", json: {} });
  });

  it("sanitizes custom CSS on save and says what it removed", async () => {
    const client = await createTestClient();
    const response = await admin(`/admin/v1/branding/clients/${client.clientId}`, {
      method: "PUT",
      json: { custom_css: "@import url(https://evil.example/x.css);a{color:red;background:url(javascript:alert(1))}</style><script>alert(1)</script>" },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { branding: { custom_css: string }; css_removed: string[] };
    expect(body.branding.custom_css).not.toMatch(/import|javascript|<|script/i);
    expect(body.css_removed).toContain("@import");
    const stored = (await (await admin(`/admin/v1/branding/clients/${client.clientId}`)).json()) as { custom_css: string };
    expect(stored.custom_css).toBe(body.branding.custom_css);
  });

  it("refuses bad input field by field and stores nothing", async () => {
    const client = await createTestClient();
    const path = `/admin/v1/branding/clients/${client.clientId}`;
    const cases: [Record<string, unknown>, string][] = [
      [{ logo_url: "http://acme.example/logo.png" }, "logo_url"],
      [{ logo_url: "javascript:alert(1)" }, "logo_url"],
      [{ logo_url: "https://user:pw@acme.example/logo.png" }, "logo_url"],
      [{ terms_url: "data:text/html,hi" }, "terms_url"],
      [{ privacy_url: "//acme.example/privacy" }, "privacy_url"],
      [{ colors: { primary: "red" } }, "colors.primary"],
      [{ colors: { primary: "#ff6600;background:url(x)" } }, "colors.primary"],
      [{ colors: { primary: "#12345" } }, "colors.primary"],
      [{ colors: { shadow: "#000" } }, "colors.shadow"],
      [{ font_family: "Arial; } body { background: url(https://x)" }, "font_family"],
      [{ font_family: "url(https://evil.example/font.woff)" }, "font_family"],
      [{ font_family: "'Comic Sans'" }, "font_family"],
      [{ custom_text: { en: { "no.such.key": "x" } } }, "custom_text.en.no.such.key"],
      [{ custom_text: { fr: { "login.title": "Bonjour" } } }, "custom_text.fr"],
      [{ custom_text: { en: { "login.title": "<script>alert(1)</script>" } } }, "custom_text.en.login.title"],
      [{ custom_text: { en: { "login.title": "x".repeat(501) } } }, "custom_text.en.login.title"],
      [{ signup_methods: ["password", "telepathy"] }, "signup_methods.1"],
      [{ signup_methods: ["password", "password"] }, "signup_methods"],
      [{ signup_methods: [] }, "signup_methods"],
      [{ name: "" }, "name"],
      [{ name: "a<b" }, "name"],
      [{ is_admin: true }, "is_admin"],
      [{ custom_css: "a{}".repeat(10_000) }, "custom_css"],
    ];
    for (const [json, field] of cases) {
      const problem = await expectProblem(await admin(path, { method: "PUT", json }), 400);
      expect(
        problem.errors?.map((error) => error.field),
        JSON.stringify(json),
      ).toContain(field);
    }
    expect(await (await admin(path)).json()).toEqual({});
    await expectProblem(await admin(path, { method: "PUT", rawBody: "name=x", headers: { "content-type": "text/plain" } }), 415);
  });

  it("manages per-client overrides: unknown clients are 404, delete falls back to the global branding", async () => {
    await expectProblem(await admin("/admin/v1/branding/clients/no-such-client"), 404);
    await expectProblem(await admin("/admin/v1/branding/clients/no-such-client", { method: "PUT", json: { name: "X" } }), 404);
    await expectProblem(await admin("/admin/v1/branding/clients/no-such-client", { method: "DELETE" }), 404);
    const client = await createTestClient();
    const path = `/admin/v1/branding/clients/${client.clientId}`;
    expect(await (await admin(path)).json()).toEqual({});
    expect((await admin(path, { method: "PUT", json: { name: "Beta App" } })).status).toBe(200);
    expect(await (await admin(path)).json()).toEqual({ name: "Beta App" });
    expect((await admin(path, { method: "DELETE" })).status).toBe(204);
    expect(await (await admin(path)).json()).toEqual({});
  });

  it("needs the admin token", async () => {
    expect((await admin("/admin/v1/branding", { token: null })).status).toBe(401);
    expect((await admin("/admin/v1/branding", { method: "PUT", json: { name: "Pwned" }, token: "wrong" })).status).toBe(401);
    expect((await admin("/admin/v1/branding/preview", { token: null })).status).toBe(401);
  });
});

describe("branding preview", () => {
  it("renders the login page with the app's branding in the asked locale, under a strict CSP", async () => {
    const client = await createTestClient();
    await admin(`/admin/v1/branding/clients/${client.clientId}`, {
      method: "PUT",
      json: { name: "Preview Shop", colors: { primary: "#aa0011" }, custom_text: { de: { "login.title": "Anmelden bei Preview Shop" } } },
    });
    const response = await admin(`/admin/v1/branding/preview?client_id=${client.clientId}&page=login&locale=de`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    const html = await response.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain("Preview Shop");
    expect(html).toContain("--gh-primary:#aa0011");
    expect(html).toContain("Anmelden bei Preview Shop");
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`nonce="${nonce}"`);
  });

  it("renders the sign-up page, and refuses unknown pages, locales and clients", async () => {
    const signup = await admin("/admin/v1/branding/preview?page=signup&locale=en");
    expect(signup.status).toBe(200);
    expect(await signup.text()).toContain('action="/signup"');
    await expectProblem(await admin("/admin/v1/branding/preview?page=admin"), 400);
    await expectProblem(await admin("/admin/v1/branding/preview?locale=fr"), 400);
    await expectProblem(await admin("/admin/v1/branding/preview?client_id=nope"), 404);
  });
});

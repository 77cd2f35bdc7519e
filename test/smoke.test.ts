import { describe, expect, it } from "vitest";
import { Browser } from "./helpers/http";

describe("smoke", () => {
  it("answers /healthz with a request id and security headers", async () => {
    const response = await new Browser().get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("renders the login page with the standard autocomplete tokens", async () => {
    const response = await new Browser().get("/login");
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('autocomplete="username webauthn"');
    expect(html).toContain('autocomplete="current-password"');
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { developmentEdgeOverrides, edgeFacts, NO_EDGE_FACTS } from "../src/lib/edge-facts";
import { Browser } from "./helpers/http";
import { uniqueEmail } from "./helpers/outbox";

describe("edge facts (request.cf)", () => {
  it("keeps the typed facts the risk signals use", () => {
    const facts = edgeFacts({
      country: "DE",
      city: "Berlin",
      latitude: "52.52",
      longitude: 13.4,
      timezone: "Europe/Berlin",
      asn: 3320,
      asOrganization: "Deutsche Telekom AG",
      tlsVersion: "TLSv1.3",
      tlsCipher: "AEAD-AES128-GCM-SHA256",
      botManagement: { score: 87, ja3Hash: "abc", ja4: "t13d" },
    });
    expect(facts).toEqual({
      country: "DE",
      city: "Berlin",
      latitude: 52.52,
      longitude: 13.4,
      timezone: "Europe/Berlin",
      asn: 3320,
      asOrganization: "Deutsche Telekom AG",
      tlsVersion: "TLSv1.3",
      tlsCipher: "AEAD-AES128-GCM-SHA256",
      botScore: 87,
      ja3: "abc",
      ja4: "t13d",
    });
  });

  it("falls back to neutral values for a missing or malformed object", () => {
    expect(edgeFacts(undefined)).toEqual(NO_EDGE_FACTS);
    expect(edgeFacts("FR")).toEqual(NO_EDGE_FACTS);
    expect(edgeFacts({ country: "France", latitude: 123, longitude: "east", asn: -1, botManagement: { score: "high" } })).toEqual(NO_EDGE_FACTS);
  });

  it("takes x-dev-cf and x-dev-ip only in development", () => {
    const headers = new Headers({ "x-dev-cf": '{"country":"FR"}', "x-dev-ip": "198.51.100.9" });
    expect(developmentEdgeOverrides(headers, "development")).toEqual({ cf: { country: "FR" }, ip: "198.51.100.9" });
    expect(developmentEdgeOverrides(headers, "production")).toEqual({});
    expect(developmentEdgeOverrides(headers, "test")).toEqual({});
    expect(developmentEdgeOverrides(new Headers({ "x-dev-cf": "{not json" }), "development")).toEqual({ cf: null });
  });

  it("ignores x-dev-ip and x-dev-cf outside development: the audit log records the real source", async () => {
    const browser = new Browser("203.0.113.77");
    await browser.get("/login");
    const response = await browser.fetch("/login", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost:8787",
        "x-dev-ip": "198.51.100.250",
        "x-dev-cf": '{"country":"FR"}',
      },
      body: new URLSearchParams({ csrf_token: browser.cookies.get("__Host-gh_csrf") ?? "", email: uniqueEmail(), password: "not the password at all" }),
    });
    expect(response.status).toBe(401);
    const row = await env.DB.prepare("SELECT ip FROM audit_events WHERE type = 'user.login' AND ip IN (?, ?) ORDER BY occurred_at DESC LIMIT 1")
      .bind("203.0.113.77", "198.51.100.250")
      .first<{ ip: string }>();
    expect(row?.ip).toBe("203.0.113.77");
  });
});

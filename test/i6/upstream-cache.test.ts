import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { clearUpstreamMetadataCache, DISCOVERY_TTL_MS, JWKS_MAX_AGE_MS } from "../../src/services/federation/providers/metadata-cache";
import { FakeUpstream } from "../federation/fake-upstream";
import { Browser, federatedLogin, registerUpstream } from "../federation/flow-helpers";
import { uniqueEmail } from "../helpers/outbox";

// Discovery and JWKS of an upstream OpenID provider are fetched once per isolate and kept (discovery 10
// minutes, keys up to 5), and an unknown `kid` (key rotation) makes one refetch of the keys.

const upstream = new FakeUpstream("cache");
let providerId = "";

beforeAll(async () => {
  await upstream.start();
  providerId = await registerUpstream(upstream, { trust_email: true });
});
afterAll(() => upstream.stop());

beforeEach(() => {
  clearUpstreamMetadataCache();
  upstream.requests.length = 0;
  upstream.misbehave = {};
});
let shifted: MockInstance<() => number> | null = null;
afterEach(() => {
  // Only the clock: the fake provider's fetch interception stays.
  shifted?.mockRestore();
  shifted = null;
});

const DISCOVERY = "/.well-known/openid-configuration";
const count = (path: string) => upstream.requests.filter((seen) => seen === path).length;

async function login(): Promise<Response> {
  return federatedLogin(new Browser(), upstream, providerId, { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("cache"), email_verified: true });
}

/** Moves every clock (ours, oauth4webapi's, the fake provider's) forward by `ms`. */
function later(ms: number): void {
  shifted?.mockRestore();
  const now = Date.now.bind(Date);
  shifted = vi.spyOn(Date, "now").mockImplementation(() => now() + ms);
}

describe("upstream discovery and JWKS cache", () => {
  it("fetches discovery and the JWKS once for many logins", async () => {
    for (let i = 0; i < 3; i++) expect((await login()).status).toBe(303);
    expect(count(DISCOVERY)).toBe(1);
    expect(count("/jwks")).toBe(1);
    expect(count("/token")).toBe(3);
  });

  it("keeps working from the cache while discovery is down, and does not cache a failed discovery", async () => {
    expect((await login()).status).toBe(303);
    upstream.misbehave = { discoveryDown: true };
    expect((await login()).status).toBe(303);
    clearUpstreamMetadataCache();
    expect((await new Browser().post(`/federation/${providerId}/start`, {})).status).toBe(502);
    upstream.misbehave = {};
    expect((await login()).status).toBe(303);
    expect(count(DISCOVERY)).toBe(3);
  });

  it("refetches the JWKS once when the provider rotates its key (unknown kid), then uses the new keys", async () => {
    expect((await login()).status).toBe(303);
    await upstream.rotateKey("k2");
    expect((await login()).status).toBe(303);
    expect(count("/jwks")).toBe(2);
    expect((await login()).status).toBe(303);
    expect(count("/jwks")).toBe(2);
    expect(count(DISCOVERY)).toBe(1);
  });

  it("refuses a kid the fresh JWKS does not hold either, and a flood of unknown kids does not refetch each time", async () => {
    expect((await login()).status).toBe(303);
    upstream.misbehave = { kid: "not-published" };
    const first = await login();
    expect(first.status).toBe(400);
    expect(count("/jwks")).toBe(2);
    for (let i = 0; i < 3; i++) expect((await login()).status).toBe(400);
    // Within the cooldown: no more fetches for unknown kids.
    expect(count("/jwks")).toBe(2);
    upstream.misbehave = {};
    expect((await login()).status).toBe(303);
  });

  it("an unknown kid on a cold cache fetches the keys once, not twice", async () => {
    upstream.misbehave = { kid: "not-published" };
    expect((await login()).status).toBe(400);
    expect(count("/jwks")).toBe(1);
  });

  it("fetches the JWKS again after its maximum age, and discovery after its TTL", async () => {
    expect((await login()).status).toBe(303);
    later(JWKS_MAX_AGE_MS + 1000);
    expect((await login()).status).toBe(303);
    expect(count("/jwks")).toBe(2);
    expect(count(DISCOVERY)).toBe(1);
    later(DISCOVERY_TTL_MS + 1000);
    expect((await login()).status).toBe(303);
    expect(count(DISCOVERY)).toBe(2);
    expect(count("/jwks")).toBe(3);
  });
});

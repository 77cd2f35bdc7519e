import { describe, expect, it } from "vitest";
import { DEFAULT_PUSH_ENDPOINT_HOSTS } from "../../src/config";
import { checkPushEndpoint } from "../../src/services/push/endpoint-allowlist";

const production = { endpointHosts: DEFAULT_PUSH_ENDPOINT_HOSTS, allowLoopbackEndpoints: false };
const development = { ...production, allowLoopbackEndpoints: true };

const problem = (endpoint: string, rules = production) => {
  const result = checkPushEndpoint(endpoint, rules);
  return result.ok ? "ok" : result.problem;
};

describe("push endpoint allowlist (no SSRF through subscriptions)", () => {
  it("accepts the real push services, including subdomains under the suffix rules", () => {
    for (const endpoint of [
      "https://fcm.googleapis.com/fcm/send/abc:def",
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
      "https://web.push.apple.com/QGuQyavXutnMH",
      "https://wns2-par02p.notify.windows.com/w/?token=AwYAAAB",
    ]) {
      expect(problem(endpoint), endpoint).toBe("ok");
    }
  });

  it("refuses plain http, other schemes and non-default ports on allowed hosts", () => {
    expect(problem("http://fcm.googleapis.com/fcm/send/x")).toBe("not_https");
    expect(problem("ftp://fcm.googleapis.com/x")).toBe("not_https");
    expect(problem("javascript:alert(1)")).toBe("not_https");
    expect(problem("https://fcm.googleapis.com:8443/fcm/send/x")).toBe("port");
  });

  it("refuses look-alike hosts: suffix tricks, the bare suffix, trailing dots, user info", () => {
    expect(problem("https://fcm.googleapis.com.evil.example/x")).toBe("host_not_allowed");
    expect(problem("https://evilfcm.googleapis.com/x")).toBe("host_not_allowed");
    expect(problem("https://push.apple.com/x")).toBe("host_not_allowed");
    expect(problem("https://evilpush.apple.com/x")).toBe("host_not_allowed");
    expect(problem("https://notify.windows.com.attacker.example/x")).toBe("host_not_allowed");
    expect(problem("https://fcm.googleapis.com./fcm/send/x")).toBe("host_not_allowed");
    expect(problem("https://fcm.googleapis.com@evil.example/x")).toBe("credentials");
    expect(problem("https://user:pass@fcm.googleapis.com/x")).toBe("credentials");
    expect(problem("https://evil.example/fcm.googleapis.com")).toBe("host_not_allowed");
  });

  it("refuses IP literals and internal names, in any spelling", () => {
    for (const endpoint of [
      "https://127.0.0.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://2130706433/x",
      "https://0x7f.1/x",
      "https://[::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://localhost/x",
      "https://metadata.google.internal/x",
    ]) {
      expect(problem(endpoint), endpoint).toBe("host_not_allowed");
    }
  });

  it("refuses garbage and oversized endpoints", () => {
    expect(problem("")).toBe("malformed");
    expect(problem("not a url")).toBe("malformed");
    expect(problem("https://fcm.googleapis.com\\@evil.example/")).toBe("malformed");
    expect(problem(`https://fcm.googleapis.com/fcm/send/${"a".repeat(2100)}`)).toBe("malformed");
  });

  it("lets loopback through only in development (for the local end-to-end test), and nothing else extra", () => {
    expect(problem("http://127.0.0.1:9999/push/1", development)).toBe("ok");
    expect(problem("http://localhost:9999/push/1", development)).toBe("ok");
    expect(problem("http://127.0.0.1:9999/push/1")).toBe("not_https");
    expect(problem("http://10.0.0.1/push/1", development)).toBe("not_https");
    expect(problem("https://169.254.169.254/x", development)).toBe("host_not_allowed");
    expect(problem("file://127.0.0.1/etc/passwd", development)).toBe("not_https");
  });

  it("follows the operator's own list (PUSH_ENDPOINT_HOSTS)", () => {
    const rules = { endpointHosts: ["push.example.com", "*.push.example.net"], allowLoopbackEndpoints: false };
    expect(problem("https://push.example.com/x", rules)).toBe("ok");
    expect(problem("https://a.b.push.example.net/x", rules)).toBe("ok");
    expect(problem("https://fcm.googleapis.com/x", rules)).toBe("host_not_allowed");
  });
});

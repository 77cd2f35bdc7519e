import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

const valid = {
  ISSUER_URL: "https://id.example.com",
  KEY_ENCRYPTION_KEY: "k".repeat(32),
  PASSWORD_PEPPER: "p".repeat(32),
  ADMIN_API_TOKEN: "a".repeat(32),
  EMAIL_API_URL: "https://mail.example.com/send",
};

describe("loadConfig", () => {
  it("defaults to production with safe session and password settings", () => {
    const config = loadConfig({ ...valid });
    expect(config.environment).toBe("production");
    expect(config.issuerUrl).toBe("https://id.example.com");
    expect(config.password).toEqual({ minLength: 8, maxBytes: 1024 });
    expect(config.unverifiedLogin).toBe("verify_first");
    expect(config.session.idleTimeoutSeconds).toBeLessThanOrEqual(config.session.absoluteTimeoutSeconds);
    expect(config.accessLog).toBe("errors");
    expect(config.mfa.reauthSeconds).toBe(600);
  });

  it("takes ACCESS_LOG and MFA_REAUTH_SECONDS within their ranges", () => {
    expect(loadConfig({ ...valid, ACCESS_LOG: "all", MFA_REAUTH_SECONDS: "120" })).toMatchObject({ accessLog: "all", mfa: { reauthSeconds: 120 } });
    expect(() => loadConfig({ ...valid, ACCESS_LOG: "verbose" })).toThrow(/ACCESS_LOG/);
    expect(() => loadConfig({ ...valid, MFA_REAUTH_SECONDS: "5" })).toThrow(/MFA_REAUTH_SECONDS/);
  });

  it("lists every bad value in one clear message", () => {
    const attempt = () =>
      loadConfig({ ISSUER_URL: "http://id.example.com/path", PASSWORD_PEPPER: "short", PASSWORD_MIN_LENGTH: "4", SESSION_IDLE_TIMEOUT_SECONDS: "-1" });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("KEY_ENCRYPTION_KEY is required");
      expect(message).toContain("PASSWORD_PEPPER must be at least 32 characters");
      expect(message).toContain("PASSWORD_MIN_LENGTH must be at least 8");
      expect(message).toContain("SESSION_IDLE_TIMEOUT_SECONDS");
      expect(message).not.toContain("p".repeat(32));
    }
  });

  it("requires https and an email provider in production, but not in development", () => {
    expect(() => loadConfig({ ...valid, ISSUER_URL: "http://id.example.com" })).toThrow(/must use https in production/);
    expect(() => loadConfig({ ...valid, EMAIL_API_URL: undefined })).toThrow(/EMAIL_API_URL is required in production/);
    expect(loadConfig({ ...valid, ISSUER_URL: "http://localhost:8787", EMAIL_API_URL: "", ENVIRONMENT: "development" }).issuerUrl).toBe(
      "http://localhost:8787",
    );
  });

  it("refuses an issuer with a path and an idle timeout longer than the absolute one", () => {
    expect(() => loadConfig({ ...valid, ISSUER_URL: "https://id.example.com/tenant" })).toThrow(/origin without path/);
    expect(() => loadConfig({ ...valid, SESSION_IDLE_TIMEOUT_SECONDS: "100", SESSION_ABSOLUTE_TIMEOUT_SECONDS: "50" })).toThrow(/must not exceed/);
  });
});

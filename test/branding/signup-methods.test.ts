import { describe, expect, it } from "vitest";
import { signupMethodsToShow } from "../../src/services/branding/signup-methods";

describe("which sign-up methods show, in which order", () => {
  it("follows the app's order and leaves out what it leaves out", () => {
    expect(signupMethodsToShow({ signupMethods: ["passkey", "password"] }, ["password", "passkey", "magic_link"])).toEqual(["passkey", "password"]);
  });

  it("never shows a method the deployment does not offer, nor one twice", () => {
    expect(signupMethodsToShow({ signupMethods: ["sms", "password", "password", "bogus"] }, ["password", "passkey"])).toEqual(["password"]);
  });

  it("falls back to what is offered rather than showing nothing", () => {
    expect(signupMethodsToShow({ signupMethods: ["sms"] }, ["password", "passkey"])).toEqual(["password", "passkey"]);
  });
});

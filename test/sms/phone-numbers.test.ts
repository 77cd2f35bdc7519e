import { describe, expect, it } from "vitest";
import { formatPhone, isCallingCodeAllowed, maskPhone, parseMobileNumber } from "../../src/services/sms/phone-numbers";

describe("mobile numbers in E.164 (libphonenumber-js, mobile metadata)", () => {
  it("canonicalises valid mobile numbers written with spaces, dashes, dots and brackets", () => {
    expect(parseMobileNumber("+4915123456789")).toEqual({ e164: "+4915123456789", callingCode: "49" });
    expect(parseMobileNumber("  +49 (151) 234-567.89 ")).toEqual({ e164: "+4915123456789", callingCode: "49" });
    expect(parseMobileNumber("+33 6 12 34 56 78")).toEqual({ e164: "+33612345678", callingCode: "33" });
    expect(parseMobileNumber("+1 213 373 4253")).toEqual({ e164: "+12133734253", callingCode: "1" });
  });

  it("refuses numbers that cannot receive a text: landlines and premium-rate numbers", () => {
    expect(parseMobileNumber("+49 30 1234567")).toBeNull();
    expect(parseMobileNumber("+49 900 1234567")).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["only a plus", "+"],
    ["letters", "call me"],
    ["a national number without country code", "0151 23456789"],
    ["two plus signs", "++4915123456789"],
    ["too short", "+491"],
    ["too long", "+49151234567890123456"],
    ["an extension", "+4915123456789 ext. 5"],
    ["an RFC 3966 extension", "+4915123456789;ext=1"],
    ["a NUL byte", "+4915123456789\u0000"],
    ["a line break", "+49151\n23456789"],
    ["full-width digits", "+４９１５１２３４５６７８９"],
    ["an unassigned country code", "+999 1234567890"],
    ["an overlong string", `+49 ${"1".repeat(40)}`],
    ["SQL", "+49'; DROP TABLE users;--"],
  ])("refuses garbage: %s", (_label, input) => {
    expect(parseMobileNumber(input)).toBeNull();
  });

  it("refuses values that are not strings", () => {
    for (const value of [undefined, null, 4915123456789, ["+4915123456789"], { e164: "+4915123456789" }]) {
      expect(parseMobileNumber(value)).toBeNull();
    }
  });

  it("applies the country allowlist by calling code, and allows every country without one", () => {
    expect(isCallingCodeAllowed(null, "49")).toBe(true);
    expect(isCallingCodeAllowed(["49", "43"], "49")).toBe(true);
    expect(isCallingCodeAllowed(["49", "43"], "7")).toBe(false);
  });

  it("masks and formats numbers for pages", () => {
    expect(maskPhone("+4915123456789")).toBe("+49 ••• ••• 789");
    expect(formatPhone("+4915123456789")).toBe("+49 1512 3456789");
  });
});

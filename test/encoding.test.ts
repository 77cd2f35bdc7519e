import { describe, expect, it } from "vitest";
import { base64UrlDecode, base64UrlEncode, base64UrlEncodeWithBtoa, toHex } from "../src/lib/encoding";

describe("encoding", () => {
  it("base64url without padding: the runtime's encoder agrees with the portable one, and decoding inverts it", () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const encoded = base64UrlEncode(bytes);
      expect(encoded).toBe(base64UrlEncodeWithBtoa(bytes));
      expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(base64UrlDecode(encoded)).toEqual(bytes);
    }
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("-_-_");
  });

  it("refuses what is not base64url, and writes lower-case hex", () => {
    expect(base64UrlDecode("a+b/")).toBeNull();
    expect(base64UrlDecode("abcde")).toBeNull();
    expect(toHex(new Uint8Array([0, 15, 16, 255]))).toBe("000f10ff");
  });
});

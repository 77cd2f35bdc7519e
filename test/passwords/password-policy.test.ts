import { describe, expect, it } from "vitest";
import commonPasswords from "../../src/data/common-passwords";
import { normalizeEmail } from "../../src/lib/email";
import { checkNewPassword, type PasswordPolicy } from "../../src/services/password-policy";

/** The production defaults: PASSWORD_MIN_LENGTH 8, a 1,024-byte cap. */
const POLICY: PasswordPolicy = { minLength: 8, maxBytes: 1024 };
const EMAIL = "ann.smith@example.com";
const GOOD = "plum tractor velvet 1987 orbit";
const check = (password: string, email: string | null = EMAIL, policy = POLICY) => checkNewPassword(password, email, policy);

/** `bytes` bytes of ASCII that is neither common, repetitive nor the email: words with a counter. */
function asciiOfBytes(bytes: number): string {
  let text = "";
  for (let i = 0; text.length < bytes; i++) text += `${["plum", "tractor", "velvet", "orbit", "lantern"][i % 5]}${i} `;
  return text.slice(0, bytes);
}

describe("password policy (NIST SP 800-63B)", () => {
  it("accepts a good passphrase, with or without an email to compare", () => {
    expect(check(GOOD)).toBeNull();
    expect(check(GOOD, null)).toBeNull();
    expect(check("Tr0ub4dor&3x")).toBeNull();
  });

  it("refuses passwords shorter than the minimum, counting code points after NFKC", () => {
    expect(check("k7#pQ2z")).toBe("too_short");
    expect(check("k7#pQ2zM")).toBeNull();
    // Seven emoji are fourteen UTF-16 units but seven characters; an eighth makes it long enough.
    expect(check("🦊🐙🌵🍉🚲🎻🧭")).toBe("too_short");
    expect(check("🦊🐙🌵🍉🚲🎻🧭🪁")).toBeNull();
    // Eight code points as typed, seven once "e" + U+0301 compose to "é".
    expect(check("zcafe\u0301!9")).toBe("too_short");
    expect(check("zcaf\u00e9!9x")).toBeNull();
    expect(check("")).toBe("too_short");
  });

  it("takes the minimum from the policy (PASSWORD_MIN_LENGTH)", () => {
    const strict = { ...POLICY, minLength: 12 };
    expect(check("k7#pQ2zM-x4", EMAIL, strict)).toBe("too_short");
    expect(check("k7#pQ2zM-x4b", EMAIL, strict)).toBeNull();
  });

  it("accepts long passwords: 64 characters and well beyond", () => {
    const sixtyFour = asciiOfBytes(64);
    expect([...sixtyFour]).toHaveLength(64);
    expect(check(sixtyFour)).toBeNull();
    expect(check(asciiOfBytes(300))).toBeNull();
    expect(check(asciiOfBytes(1024))).toBeNull();
    expect(check("🦊🐙🌵🍉🚲🎻🧭🪁".repeat(32))).toBeNull();
  });

  it("refuses more than 1,024 bytes of UTF-8, counting bytes rather than characters", () => {
    expect(check(asciiOfBytes(1025))).toBe("too_long");
    // 342 three-byte characters are 1,026 bytes.
    const threeByte = Array.from({ length: 342 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join("");
    expect(threeByte).toHaveLength(342);
    expect(check(threeByte)).toBe("too_long");
    expect(check(threeByte.slice(0, 341))).toBeNull();
  });

  it("refuses common passwords, whatever their case or width", () => {
    for (const password of ["password1", "qwertyuiop", "QwErTyUiOp", "PASSWORD1", "iloveyou2", "passwordpassword", "ｐａｓｓｗｏｒｄ１"]) {
      expect(check(password), password).toBe("common");
    }
  });

  it("refuses passwords that contain the email address or its local part", () => {
    expect(check(EMAIL)).toBe("contains_email");
    expect(check(`${EMAIL}!`)).toBe("contains_email");
    expect(check("my ann.smith secret")).toBe("contains_email");
    expect(check("My ANN.SMITH Secret")).toBe("contains_email");
    // Callers pass the canonical address (normalizeEmail lower-cases it).
    expect(check("my ann.smith secret", normalizeEmail("Ann.Smith@Example.COM"))).toBe("contains_email");
    // A local part under three characters is too short to mean anything inside a password.
    expect(check("always alone 42", "al@example.com")).toBeNull();
    expect(check("my ann.smith secret", "bob@example.com")).toBeNull();
  });

  it("refuses a character or a short sequence repeated", () => {
    for (const password of [
      "wwwwwwwwwwwwwwwwwwwwwww",
      "ØØØØØØØØØØ",
      "kqkqkqkq",
      "7z7z7z7z7z",
      "lmnlmnlmn",
      "xyzxyzxyz",
      "🦊🦊🦊🦊🦊🦊🦊🦊",
      "🦊🐙🦊🐙🦊🐙🦊🐙",
    ]) {
      expect(check(password), password).toBe("repetitive");
    }
    // Common repetitions are refused as common first.
    expect(check("aaaaaaaa")).toBe("common");
  });

  it("bundles the 100,000 most common passwords, unique, NFKC-normalized and lower-cased", () => {
    const list = commonPasswords.split("\n");
    expect(list).toHaveLength(100_000);
    expect(new Set(list).size).toBe(100_000);
    expect(list.slice(0, 3)).toEqual(["123456", "password", "12345678"]);
    expect(list.filter((entry) => entry.length === 0 || entry !== entry.normalize("NFKC").toLowerCase())).toEqual([]);
  });
});
